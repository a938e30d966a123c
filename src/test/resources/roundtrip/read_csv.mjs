// Reads one segfx CSV table with DuckDB (RFC 4180 dialect, every column as text) and prints its
// rows as JSON. usage: node read_csv.mjs MODULE_DIR FILE COLUMN...
import { createRequire } from 'node:module';
import path from 'node:path';

const [moduleDir, file, ...columns] = process.argv.slice(2);
const require = createRequire(path.join(moduleDir, 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const quoted = columns.map((c) => '"' + c.replaceAll('"', '""') + '"').join(', ');
const sql = `select ${quoted} from read_csv('${file.replaceAll("'", "''")}', header = true, delim = ',',
  quote = '"', escape = '"', all_varchar = true, strict_mode = true)`;
const result = await con.runAndReadAll(sql);
process.stdout.write(JSON.stringify(result.getRows().map((r) => r.map((v) => (v === null ? '' : String(v))))));
