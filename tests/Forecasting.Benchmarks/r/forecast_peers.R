# Peers for the forecasting benchmarks: R's forecast package (Debian r-cran-forecast).
# Usage: Rscript forecast_peers.R <model: stlf|ets|tbats> <input.csv> <output.csv> <horizon> <cores>
# input: one series per line, "id,v1,v2,..." (no header); output: "id,F1..Fh".
suppressMessages(library(forecast))
suppressMessages(library(parallel))
args <- commandArgs(trailingOnly = TRUE)
model <- args[1]; input <- args[2]; output <- args[3]
h <- as.integer(args[4]); cores <- as.integer(args[5])
lines <- readLines(input)
fit_one <- function(line) {
  cells <- strsplit(line, ",", fixed = TRUE)[[1]]
  y <- as.numeric(cells[-1])
  f <- tryCatch({
    if (model == "stlf") {
      # Daily and weekly seasonality when there are two weeks of history, else daily.
      periods <- if (length(y) >= 2 * 168) c(24, 168) else 24
      stlf(msts(y, seasonal.periods = periods), h = h)$mean
    } else if (model == "ets") {
      # ets allows seasonal periods up to 24.
      forecast(ets(ts(y, frequency = 24)), h = h)$mean
    } else if (model == "tbats") {
      periods <- if (length(y) >= 2 * 168) c(24, 168) else 24
      forecast(tbats(msts(y, seasonal.periods = periods), use.parallel = FALSE), h = h)$mean
    } else stop(paste("unknown model", model))
  }, error = function(e) rep(y[length(y)], h))
  paste(c(cells[1], format(as.numeric(f), digits = 10, scientific = FALSE, trim = TRUE)), collapse = ",")
}
out <- unlist(mclapply(lines, fit_one, mc.cores = cores))
writeLines(c(paste(c("id", paste0("F", 1:h)), collapse = ","), out), output)
