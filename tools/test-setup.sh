#!/usr/bin/env bash
# Installs what the test suite needs beyond Java and Maven Central, from Debian's packages, and only
# what is missing. Run by `./segstream test` (and so by CI) before `./mvnw verify`.
set -euo pipefail

# A JDK 17; PyTorch/ONNX for the model-tool tests (the state-dict converter's parity with ONNX Runtime
# Java); a real Prometheus server for ObservabilityIT and its promtool for PrometheusRulesIT; docker-compose
# and Python's yaml for ComposeFilesIT (it validates the compose files and reads them as resolved);
# headless Chromium for the sink's live page (LiveViewIT); ffmpeg's ffprobe to check overlays as a player
# sees them, and ffmpeg itself as a loopback camera; openssl for the HTTPS camera's test certificate;
# kcat and Python's confluent-kafka, Pillow and NumPy to run the readers docs/topics.md shows (TopicsDocIT).
need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
/usr/bin/python3 -c 'import torch, onnx' >/dev/null 2>&1 || need+=(python3-torch python3-onnx)
[ -x /usr/bin/prometheus ] || need+=(prometheus)
[ -x /usr/bin/docker-compose ] || need+=(docker-compose)
/usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 || need+=(python3-yaml)
[ -x /usr/bin/chromium ] || need+=(chromium)
{ command -v ffprobe && command -v ffmpeg; } >/dev/null 2>&1 || need+=(ffmpeg)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -x /usr/bin/kcat ] || need+=(kcat)
/usr/bin/python3 -c 'import confluent_kafka, PIL, numpy' >/dev/null 2>&1 || need+=(python3-confluent-kafka python3-pil python3-numpy)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "segstream test: installing Debian packages the tests need: ${need[*]}" >&2
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "segstream test: run as root, or install them: apt-get install ${need[*]}" >&2; exit 1; }
  echo "segstream test: asking for root (sudo) to run apt-get" >&2
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
