# Multi-stage build of ptn-serve with the Swift standard library linked statically.
#   docker build -t ptn-serve .
#   docker run --rm -p 48888:48888 -p 127.0.0.1:9488:9488 \
#       -v /home/validator/proprietary-trading-network:/data:ro ptn-serve
# The validator's checkout is mounted read-only at /data (its ptn_api/api_keys.json is the key file).
ARG SWIFT_VERSION=6.3
FROM swift:${SWIFT_VERSION}-bookworm AS build
WORKDIR /src
# Dependencies first, so source edits reuse the resolved packages layer.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
RUN swift build -c release --static-swift-stdlib --product ptn-serve \
    && BIN="$(swift build -c release --show-bin-path)" \
    && mkdir -p /out \
    && cp "$BIN/ptn-serve" /out/ \
    && cp -R "$BIN/ptn-serve_PTNServe.resources" "$BIN/ptn-serve_PTNServeDemo.resources" /out/

FROM debian:bookworm-slim
# libstdc++ and zlib are the only shared libraries left once the Swift runtime is static.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libstdc++6 zlib1g tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home ptn
COPY --from=build /out/ /opt/ptn-serve/
USER ptn
EXPOSE 48888 9488
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fs http://127.0.0.1:48888/health || exit 1
ENTRYPOINT ["/opt/ptn-serve/ptn-serve"]
# Inside a container the listeners must bind all interfaces; publish 9488 on the host's loopback only.
CMD ["serve", "--data-dir", "/data", "--host", "0.0.0.0", "--metrics-host", "0.0.0.0"]
