#!/usr/bin/env bash
# Regenerates serve's recorded prompts (raw G.711 µ-law, 8 kHz, mono, at most 6 s) with Debian's
# espeak-ng and sox: apt-get install -y espeak-ng sox
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/src/main/resources/prompts"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

say() { # name voice text
  espeak-ng -v "$2" -s 150 -w "$tmp/$1.wav" "$3"
  sox "$tmp/$1.wav" -r 8000 -c 1 -e u-law -t raw "$out/$1.ulaw" trim 0 6 gain -n -3
}

say unavailable_fr fr "Notre assistant vocal est momentanément indisponible. Merci de rappeler dans quelques minutes."
say unavailable_en en-us "Our voice assistant is unavailable right now. Please call back in a few minutes."
say busy_fr fr "Toutes nos lignes sont occupées. Merci de rappeler dans quelques minutes."
say busy_en en-us "All our lines are busy. Please call again in a few minutes."
ls -l "$out"
