# syntax=docker/dockerfile:1.7
# Sealpost server image: Payara Micro running the api war, configured only by SEALPOST_*
# environment variables (docs/OPERATIONS.md lists them). Build from the repository root:
#   docker build -t sealpost:$(git rev-parse --short HEAD) .
# Base images are pinned to an exact Temurin release; bump both together (and prefer pinning the
# digest too, e.g. eclipse-temurin:17.0.17_10-jre-noble@sha256:..., in your own registry mirror).

# --- Build: the Maven wrapper builds sdk-java, the viewer bundle (node), the api war (and cli/, which only the api's tests use)
FROM eclipse-temurin:17.0.17_10-jdk-noble AS build

# envelope-viewer bundles its JavaScript with npm/esbuild (node >= 18).
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl api -am package \
 && test -f api/target/api.war \
 && test -f api/target/payara-micro.jar

# --- Run: a JRE, two files, an unprivileged user ---------------------------------------------------------
FROM eclipse-temurin:17.0.17_10-jre-noble

RUN groupadd --system --gid 10001 sealpost \
 && useradd --system --uid 10001 --gid sealpost --home-dir /opt/sealpost --no-create-home \
      --shell /usr/sbin/nologin sealpost \
 && mkdir -p /opt/sealpost/data \
 && chown sealpost:sealpost /opt/sealpost/data \
 && chmod 0700 /opt/sealpost/data

WORKDIR /opt/sealpost
# Application files belong to root and are read-only for the server user.
COPY --from=build /src/api/target/payara-micro.jar /opt/sealpost/payara-micro.jar
COPY --from=build /src/api/target/api.war /opt/sealpost/api.war
COPY --from=build /src/api/src/main/payara/preboot.asadmin /opt/sealpost/preboot.asadmin
COPY --from=build /src/api/src/main/payara/logging.properties /src/api/src/main/payara/logging-json.properties /opt/sealpost/
COPY --chmod=0755 infra/docker/entrypoint.sh infra/docker/healthcheck.sh /opt/sealpost/

# Container-aware JVM: heap from the task's memory limit, exit (and be replaced) on OOM, short DNS
# cache so a Multi-AZ database failover is followed within seconds. JAVA_OPTS may replace these.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75.0 -XX:InitialRAMPercentage=50.0 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Dsun.net.inetaddr.ttl=30 -Dfile.encoding=UTF-8" \
    SEALPOST_PORT=8080 \
    SEALPOST_DATA_DIR=/opt/sealpost/data

USER 10001:10001
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["/opt/sealpost/healthcheck.sh"]

ENTRYPOINT ["/opt/sealpost/entrypoint.sh"]
