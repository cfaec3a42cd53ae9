#!/usr/bin/env bash
# Checks the Java sources' formatting with tools every machine has: no tabs, no trailing
# whitespace, lines of at most 120 characters, a newline at the end of each file.
set -euo pipefail
status=0
while IFS= read -r -d '' file; do
  if grep -n $'\t' "$file" >/dev/null; then
    grep -n $'\t' "$file" | sed "s|^|$file:|; s|$| <- tab; indent with spaces|"; status=1
  fi
  if grep -nE ' +$' "$file" >/dev/null; then
    grep -nE ' +$' "$file" | sed "s|^|$file:|; s|$|<- trailing whitespace|"; status=1
  fi
  awk -v f="$file" 'length($0) > 120 { printf "%s:%d: line of %d characters; wrap it at 120\n", f, NR, length($0); bad=1 }
                    END { exit bad }' "$file" || status=1
  if [ -s "$file" ] && [ "$(tail -c 1 "$file" | od -An -c | tr -d ' ')" != '\n' ]; then
    echo "$file: no newline at the end of the file"; status=1
  fi
done < <(find src -name '*.java' -print0)
if [ "$status" -eq 0 ]; then
  echo "formatting OK: $(find src -name '*.java' | wc -l | tr -d ' ') Java files"
fi
exit "$status"
