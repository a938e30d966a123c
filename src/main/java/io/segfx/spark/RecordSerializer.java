package io.segfx.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;

/**
 * Kryo serializer of a Java record, component by component through its accessors and canonical
 * constructor. Kryo 4 (Spark 3.5's) cannot build records with its field serializer, and Java
 * serialization inside Kryo opens an object stream and writes the class description for every
 * record, which makes reading back the shuffled cell keys a large share of stage 1's reduce.
 *
 * <p>Primitive, {@code String} and {@code Long} components are written directly; a {@code List} as
 * its size and elements (read back as an {@code ArrayList}); anything else (nested records, arrays,
 * other classes) through Kryo with its class.
 */
public final class RecordSerializer<T extends Record> extends Serializer<T> {
  private static final int DOUBLE = 0;
  private static final int LONG = 1;
  private static final int INT = 2;
  private static final int BOOLEAN = 3;
  private static final int STRING = 4;
  private static final int BOXED_LONG = 5;
  private static final int LIST = 6;
  private static final int OTHER = 7;

  private final Method[] accessors;
  private final int[] kinds;
  private final Constructor<T> constructor;

  /**
   * The strings read so far, each kept once: the driver collects every segment estimate, and ids,
   * metric names, statuses and kinds repeat across millions of records, so sharing one copy of each
   * keeps the collected results several times smaller. One map for the JVM, not one per serializer:
   * the executor's serializer pools its Kryo instances for the executor's life ({@link
   * PooledShuffle}) and hands them out in turn, so per-instance maps would each keep their own
   * copies. Only outside tasks (the driver collecting results): a task's own reads (a shuffle's
   * keys) are merged and dropped anyway. Cleared when it reaches {@link #STRINGS_KEPT}.
   */
  private static final Map<String, String> STRINGS = new ConcurrentHashMap<>();

  static final int STRINGS_KEPT = 1 << 18;

  /** A serializer of records of {@code type} (Kryo also builds it by reflection, as a default). */
  public RecordSerializer(Class<T> type) {
    RecordComponent[] c = type.getRecordComponents();
    accessors = new Method[c.length];
    kinds = new int[c.length];
    Class<?>[] types = new Class<?>[c.length];
    for (int i = 0; i < c.length; i++) {
      accessors[i] = c[i].getAccessor();
      accessors[i].setAccessible(true);
      types[i] = c[i].getType();
      kinds[i] = kind(types[i]);
    }
    try {
      constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          "record " + type.getName() + " has no canonical constructor", e);
    }
    setImmutable(true);
  }

  private static int kind(Class<?> t) {
    if (t == double.class) {
      return DOUBLE;
    } else if (t == long.class) {
      return LONG;
    } else if (t == int.class) {
      return INT;
    } else if (t == boolean.class) {
      return BOOLEAN;
    } else if (t == String.class) {
      return STRING;
    } else if (t == Long.class) {
      return BOXED_LONG;
    } else if (t == List.class) {
      return LIST;
    } else if (t.isPrimitive()) {
      throw new IllegalArgumentException("unsupported primitive record component " + t);
    }
    return OTHER;
  }

  @Override
  public void write(Kryo kryo, Output out, T record) {
    for (int i = 0; i < accessors.length; i++) {
      Object v;
      try {
        v = accessors[i].invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new KryoException("cannot read " + accessors[i], e);
      }
      switch (kinds[i]) {
        case DOUBLE -> out.writeDouble((Double) v);
        case LONG -> out.writeLong((Long) v);
        case INT -> out.writeInt((Integer) v);
        case BOOLEAN -> out.writeBoolean((Boolean) v);
        case STRING -> out.writeString((String) v);
        case BOXED_LONG -> {
          out.writeBoolean(v != null);
          if (v != null) {
            out.writeLong((Long) v);
          }
        }
        case LIST -> {
          List<?> list = (List<?>) v;
          out.writeInt(list == null ? -1 : list.size(), true);
          if (list != null) {
            for (Object e : list) {
              kryo.writeClassAndObject(out, e);
            }
          }
        }
        default -> kryo.writeClassAndObject(out, v);
      }
    }
  }

  /** The kept copy of {@code s} (see {@link #STRINGS}); {@code s} itself inside a task. */
  static String shared(String s) {
    if (s == null) {
      return null;
    }
    if (TaskContext.get() != null) {
      return s;
    }
    // A plain read first: putIfAbsent locks the key's bin even when the key is there, and the
    // result-reading threads ask for the same few names over and over.
    String kept = STRINGS.get(s);
    if (kept != null) {
      return kept;
    }
    kept = STRINGS.putIfAbsent(s, s);
    if (kept != null) {
      return kept;
    }
    if (STRINGS.size() >= STRINGS_KEPT) {
      STRINGS.clear();
    }
    return s;
  }

  @Override
  public T read(Kryo kryo, Input in, Class<T> type) {
    Object[] args = new Object[accessors.length];
    for (int i = 0; i < args.length; i++) {
      args[i] =
          switch (kinds[i]) {
            case DOUBLE -> in.readDouble();
            case LONG -> in.readLong();
            case INT -> in.readInt();
            case BOOLEAN -> in.readBoolean();
            case STRING -> shared(in.readString());
            case BOXED_LONG -> in.readBoolean() ? in.readLong() : null;
            case LIST -> {
              int n = in.readInt(true);
              if (n < 0) {
                yield null;
              }
              List<Object> list = new ArrayList<>(n);
              for (int k = 0; k < n; k++) {
                list.add(kryo.readClassAndObject(in));
              }
              yield list;
            }
            default -> kryo.readClassAndObject(in);
          };
    }
    try {
      return constructor.newInstance(args);
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new KryoException("cannot build " + constructor.getDeclaringClass().getName(), e);
    }
  }
}
