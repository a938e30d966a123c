# Regenerates example.csv: the data of CausalImpact's documented example (its vignette,
# "Creating an example dataset"), with R's deterministic generator. Run with R 4.2 (Debian
# r-base-core): Rscript make_example.R. Values are written with 17 significant digits, so the CSV
# holds R's doubles exactly.
set.seed(1)
x1 <- 100 + arima.sim(model = list(ar = 0.999), n = 100)
y <- 1.2 * x1 + rnorm(100)
y[71:100] <- y[71:100] + 10
d <- data.frame(series = "example", time = 1:100,
                y = sprintf("%.17g", as.numeric(y)), x1 = sprintf("%.17g", as.numeric(x1)))
write.csv(d, "example.csv", row.names = FALSE, quote = FALSE)
