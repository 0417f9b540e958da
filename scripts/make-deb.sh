#!/usr/bin/env bash
# A Debian package of rhythmsearch with its own Java runtime (jpackage --type deb), from the release
# archive that `mvn -B package` writes. Needs JDK 17+ with jpackage, and fakeroot and dpkg-deb (apt-get
# install fakeroot). Installs /opt/rhythmsearch/bin/rhythmsearch.
#
#   scripts/make-deb.sh            -> rhythmsearch-cli/target/deb/rhythmsearch_VERSION_ARCH.deb
set -euo pipefail
cd "$(dirname "$0")/.."
archive=$(ls rhythmsearch-cli/target/rhythmsearch-*.tar.gz 2>/dev/null | head -1)
[[ -n "$archive" ]] || { echo "make-deb: no release archive; run: mvn -B package -DskipTests" >&2; exit 2; }
jpackage=$(dirname "$(readlink -f "$(command -v java)")")/jpackage
[[ -x "$jpackage" ]] || { echo "make-deb: this JDK has no jpackage ($jpackage)" >&2; exit 2; }
command -v fakeroot >/dev/null || { echo "make-deb: needs fakeroot (apt-get install fakeroot)" >&2; exit 2; }
version=$(basename "$archive" .tar.gz); version=${version#rhythmsearch-}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
tar xzf "$archive" -C "$work"
mkdir -p "$work/input" rhythmsearch-cli/target/deb
cp "$work"/rhythmsearch-*/lib/*.jar "$work/input/"
"$jpackage" --type deb --name rhythmsearch --app-version "${version%%-*}" --dest rhythmsearch-cli/target/deb \
  --input "$work/input" --main-jar rhythmsearch-cli.jar --main-class org.rhythmsearch.cli.Main \
  --description "Find music with a similar rhythm" --vendor RhythmSearch --linux-package-name rhythmsearch \
  --linux-deb-maintainer "rhythmsearch@localhost" --linux-app-category sound
ls -l rhythmsearch-cli/target/deb/*.deb
