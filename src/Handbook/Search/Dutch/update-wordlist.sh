#!/usr/bin/env bash
# Rebuilds words.txt.gz from Debian's Dutch word list (package wdutch, from OpenTaal).
# The list keeps lower-case words of 3 to 24 letters, diacritics folded (as the search analyzer folds them),
# sorted, one per line. Run it on Debian; record the package version in README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download wdutch >/dev/null && dpkg-deb -x wdutch_*.deb x)
dpkg-deb -f "$work"/wdutch_*.deb Version
python3 - "$work/x/usr/share/dict/dutch" <<'PY' | gzip -9n > "$here/words.txt.gz"
import re, sys, unicodedata
words = set()
for line in open(sys.argv[1], encoding="utf-8"):
    word = line.strip()
    if not word or word != word.lower():
        continue  # names and acronyms are not compound parts
    folded = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
    if re.fullmatch("[a-z]{3,24}", folded):
        words.add(folded)
sys.stdout.write("\n".join(sorted(words)) + "\n")
PY
cp "$work/x/usr/share/doc/wdutch/copyright" "$here/LICENSE-OpenTaal.txt"
