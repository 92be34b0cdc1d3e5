# Peers for the forecasting benchmarks: R's forecast package (Debian r-cran-forecast).
# Usage: Rscript forecast_peers.R <model: stlf|ets|tbats> <input.csv> <output.csv> <horizon> <cores> [level]
# input: one series per line, "id,v1,v2,..." (no header); output: "id,F1..Fh" and, with a level (e.g. 95),
# that prediction interval's bounds after the means: "id,F1..Fh,L1..Lh,U1..Uh".
suppressMessages(library(forecast))
suppressMessages(library(parallel))
args <- commandArgs(trailingOnly = TRUE)
model <- args[1]; input <- args[2]; output <- args[3]
h <- as.integer(args[4]); cores <- as.integer(args[5])
level <- if (length(args) >= 6) as.numeric(args[6]) else NA
lines <- readLines(input)
fit_one <- function(line) {
  cells <- strsplit(line, ",", fixed = TRUE)[[1]]
  y <- as.numeric(cells[-1])
  lv <- if (is.na(level)) 80 else level
  f <- tryCatch({
    if (model == "stlf") {
      # Daily and weekly seasonality when there are two weeks of history, else daily.
      periods <- if (length(y) >= 2 * 168) c(24, 168) else 24
      stlf(msts(y, seasonal.periods = periods), h = h, level = lv)
    } else if (model == "ets") {
      # ets allows seasonal periods up to 24.
      forecast(ets(ts(y, frequency = 24)), h = h, level = lv)
    } else if (model == "tbats") {
      periods <- if (length(y) >= 2 * 168) c(24, 168) else 24
      forecast(tbats(msts(y, seasonal.periods = periods), use.parallel = FALSE), h = h, level = lv)
    } else stop(paste("unknown model", model))
  }, error = function(e) NULL)
  values <- if (is.null(f)) {
    # A fit that fails falls back to the last value with no interval (NA bounds).
    c(rep(y[length(y)], h), if (!is.na(level)) rep(NA, 2 * h))
  } else {
    c(as.numeric(f$mean), if (!is.na(level)) c(as.numeric(f$lower[, 1]), as.numeric(f$upper[, 1])))
  }
  paste(c(cells[1], format(values, digits = 10, scientific = FALSE, trim = TRUE)), collapse = ",")
}
out <- unlist(mclapply(lines, fit_one, mc.cores = cores))
header <- c("id", paste0("F", 1:h), if (!is.na(level)) c(paste0("L", 1:h), paste0("U", 1:h)))
writeLines(c(paste(header, collapse = ","), out), output)
