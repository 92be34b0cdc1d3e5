# syntax=docker/dockerfile:1
# The forecasting image: `forecasting serve` on 0.0.0.0:8080, state (SQLite store, models/, reports) in /data.
#
#   docker build -t forecasting .            # or: podman build -t forecasting .
#   docker run -d -p 8080:8080 -v forecasting-data:/data -e FORECASTING_API_KEY=... forecasting
#   docker run --rm -v forecasting-data:/data forecasting demo
#
# Two stages. The build stage publishes a self-contained, partially trimmed linux-x64 app (TrimMode=partial
# trims the framework only: ML.NET, Quartz and our own assemblies, which use reflection, are kept whole;
# README, Deploy, has the sizes). Being self-contained, the final stage needs no .NET runtime, only its native
# dependencies: the runtime-deps image (or any glibc base with bash, useradd, ca-certificates, tzdata and the
# fonts). Both base images are arguments, so the same file is built here from images assembled from Debian
# packages (scripts/container-smoke.sh) and elsewhere from Microsoft's.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM ${SDK_IMAGE} AS build
# Trim warnings are not errors here (the build treats warnings as errors): partial trimming keeps every assembly
# that is not marked trimmable, and System.Text.Json keeps its reflection serializer, which the app uses.
# --build-arg TRIM= publishes untrimmed. Restore needs the same properties (trimming restores the ILLink package).
ARG TRIM="-p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true -p:JsonSerializerIsReflectionEnabledByDefault=true"
WORKDIR /src
# Restore first, from the project files only, so a code change does not restore again.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Forecasting.Core/Forecasting.Core.csproj src/Forecasting.Core/
COPY src/Forecasting.Data/Forecasting.Data.csproj src/Forecasting.Data/
COPY src/Forecasting.ML/Forecasting.ML.csproj src/Forecasting.ML/
COPY src/Forecasting.Reporting/Forecasting.Reporting.csproj src/Forecasting.Reporting/
COPY src/Forecasting.Application/Forecasting.Application.csproj src/Forecasting.Application/
COPY src/Forecasting.Api/Forecasting.Api.csproj src/Forecasting.Api/
COPY src/Forecasting.Cli/Forecasting.Cli.csproj src/Forecasting.Cli/
RUN dotnet restore src/Forecasting.Cli/Forecasting.Cli.csproj -r linux-x64 --disable-build-servers $TRIM
COPY src/ src/
RUN dotnet publish src/Forecasting.Cli/Forecasting.Cli.csproj -c Release -r linux-x64 --self-contained --no-restore \
      --disable-build-servers -nologo -v quiet -clp:ErrorsOnly $TRIM -o /app \
 && rm -f /app/*.pdb

FROM ${BASE_IMAGE} AS final
ARG APP_UID=10001
# Charts need a font (ScottPlot/SkiaSharp find DejaVu in /usr/share/fonts); reports and schedules need the time
# zone database; the relay and OpenAI need CA certificates. Installed only when the base lacks them.
RUN missing=""; \
    for package in fonts-dejavu-core tzdata ca-certificates; do \
      dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $package"; \
    done; \
    if [ -n "$missing" ]; then \
      apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --gid "$APP_UID" forecasting \
 && useradd --uid "$APP_UID" --gid "$APP_UID" --home-dir /data --no-create-home --shell /usr/sbin/nologin forecasting \
 && mkdir -p /data && chown "$APP_UID:$APP_UID" /data
COPY --from=build /app /app
# `demo` finds data-samples/ beside the program.
COPY data-samples/usage.csv /app/data-samples/usage.csv
COPY --chmod=755 deploy/container/healthcheck.sh /app/healthcheck
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    FORECASTING_DB=/data/forecasting.db \
    FORECASTING_MODELS=/data/models \
    DOTNET_RUNNING_IN_CONTAINER=true \
    PATH=/app:$PATH
WORKDIR /data
VOLUME /data
EXPOSE 8080
USER ${APP_UID}
# GET /health/live on the port of ASPNETCORE_URLS (no curl in the image). Kubernetes uses its own probes
# (deploy/kubernetes/forecasting.yaml): liveness /health/live, readiness /health/ready.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/app/healthcheck"]
ENTRYPOINT ["/app/forecasting"]
CMD ["serve"]
