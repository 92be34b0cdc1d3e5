using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.Core.Planning.Recommendations;

/// <summary>One series' forecast with its key, parsed once when the plan is built.</summary>
internal readonly record struct KeyedForecast(SeriesKey Key, SeriesForecast Forecast);
