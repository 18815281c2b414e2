#!/usr/bin/env bash
# Fetches the Flink SQL connector jars the SQL client needs (the job jar bundles its own) into DIR:
# SQL_CONNECTORS lists them as group:artifact:version, MAVEN_REPOSITORY is the repository root
# (Maven Central by default). Each jar is checked against the repository's SHA-1; jars already in
# DIR are kept, so only the first start downloads. Used by docker-compose.yml's sql-connectors.
set -euo pipefail

dir=${1:?usage: fetch-sql-connectors.sh DIR}
repo=${MAVEN_REPOSITORY:-https://repo1.maven.org/maven2}
mkdir -p "$dir"

for coordinates in ${SQL_CONNECTORS:?SQL_CONNECTORS lists group:artifact:version}; do
    IFS=: read -r group artifact version <<<"$coordinates"
    if [ -z "$group" ] || [ -z "$artifact" ] || [ -z "$version" ]; then
        echo "not group:artifact:version: $coordinates" >&2
        exit 1
    fi
    jar="$artifact-$version.jar"
    if [ -s "$dir/$jar" ]; then
        echo "have $jar"
        continue
    fi
    url="$repo/${group//.//}/$artifact/$version/$jar"
    echo "fetching $url"
    wget -q -O "$dir/$jar.part" "$url"
    expected=$(wget -q -O - "$url.sha1" | cut -c1-40)
    actual=$(sha1sum "$dir/$jar.part" | cut -c1-40)
    if [ "$expected" != "$actual" ]; then
        rm -f "$dir/$jar.part"
        echo "SHA-1 of $jar is $actual, the repository says $expected: not used" >&2
        exit 1
    fi
    mv "$dir/$jar.part" "$dir/$jar"
done
ls -l "$dir"
