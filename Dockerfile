# Notifier as a container image (docs/operations.md, "Container"; docker-compose.yml uses it).
#   docker build -t notifier .
#   docker run -p 8080:8080 -v notifier-data:/var/lib/notifier notifier
# Two stages with Microsoft's official images: the SDK restores (from packages.lock.json, nothing else) and publishes;
# the image that runs holds the ASP.NET Core runtime and the published app only. Everything is fetched while the image
# is built; the running container downloads nothing (the Public Suffix List and the RDAP bootstrap ship in the app).
# A Dockerfile rather than the SDK's PublishContainer: compose builds it with no .NET on the host, and the image gets
# the HEALTHCHECK and the volume, which PublishContainer cannot declare.

# The SDK image is the exact SDK global.json pins (ContainerDeploymentTests checks that they agree), and global.json
# is copied before the restore: the image builds with the SDK developers and CI use, not whichever 10.0 SDK the
# floating 10.0 tag carries that day. Raise both together.
FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Notifier/Notifier.csproj src/Notifier/packages.lock.json src/Notifier/
# The restore layer is cached until a package changes; --locked-mode refuses any drift from the lock file.
RUN dotnet restore src/Notifier/Notifier.csproj --locked-mode
COPY src/Notifier/ src/Notifier/
COPY templates/ templates/
RUN dotnet publish src/Notifier/Notifier.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# The app's files are read-only to the service; what it keeps (data/notifier.db, data/keys, data/outbox) is relative
# to its working directory, the volume, as under systemd (deploy/notifier.service).
COPY --from=build /app /opt/notifier
WORKDIR /var/lib/notifier
# Listen on every interface of the container (appsettings.json says loopback, right for a host, wrong here).
# Notifier__Urls rather than ASPNETCORE_URLS: appsettings.json's Urls is read after ASPNETCORE_* variables and wins
# over them, while Notifier__* variables are read last (Hosting/NotifierConfiguration).
ENV Notifier__Urls=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# APP_UID is the unprivileged "app" user the official images create (uid 1654); the volume's first mount takes the
# ownership of this folder.
RUN mkdir -p /var/lib/notifier/data && chown -R "$APP_UID" /var/lib/notifier
USER $APP_UID
VOLUME /var/lib/notifier
EXPOSE 8080
# /healthz/live asks no dependency, so an outage of the database or the smarthost never gets a healthy process
# restarted. The image has no curl: the binary's own `health` verb makes the request.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["dotnet", "/opt/notifier/Notifier.dll", "health", "http://127.0.0.1:8080/healthz/live"]
ENTRYPOINT ["dotnet", "/opt/notifier/Notifier.dll"]
