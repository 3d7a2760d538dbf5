# Deliberately insecure: each line breaks one property that DockerfileTest asserts. Never build.
FROM eclipse-temurin:latest
ENV SEALPOST_DB_PASSWORD=hunter2 \
    CONFIG_FILE=/app/app.properties
ARG AWS_SECRET_ACCESS_KEY
COPY app.properties /app/app.properties
COPY target/api.war /app/api.war
RUN curl -o /app/payara-micro.jar https://example.invalid/payara-micro.jar
ENTRYPOINT ["java", "-Xmx512m", "-jar", "/app/payara-micro.jar", "--deploy", "/app/api.war"]
