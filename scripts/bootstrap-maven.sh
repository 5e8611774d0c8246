#!/usr/bin/env bash
# Makes ./mvnw exist: the Maven Wrapper pinned to Maven 3.9.9. The wrapper's files are generated on
# first use (by any Maven at hand, Debian's if none) instead of being committed, so the repository
# names no download host; after that every build runs the pinned Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
MAVEN_VERSION=3.9.9
WRAPPER_PLUGIN=org.apache.maven.plugins:maven-wrapper-plugin:3.3.2

if [ -x ./mvnw ] && grep -q "apache-maven-$MAVEN_VERSION-bin" .mvn/wrapper/maven-wrapper.properties 2>/dev/null; then
  exit 0
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "[flick] no Maven yet: installing Debian's maven once, only to generate the wrapper" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq maven >/dev/null
fi
mvn -q -N "$WRAPPER_PLUGIN:wrapper" -Dmaven="$MAVEN_VERSION" -Dtype=only-script
chmod +x ./mvnw
