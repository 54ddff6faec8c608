#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The cuecard render command end to end: files named after recipients, a contact sheet, exit
# codes and one-line errors for a bad queue, a bad theme and an unwritable folder.
set -u
cuecard="$1"
src="$2"
out="$3"
rm -rf "$out"
mkdir -p "$out"
fails=0
passes=0
check() { # description, condition...
  local what="$1"; shift
  if "$@"; then echo "ok: $what"; passes=$((passes + 1)); else echo "FAIL: $what"; fails=$((fails + 1)); fi
}

# The render checks need a Vulkan device; every other check runs without one. With no device
# the run says so and exits 77 (skipped) once the rest has passed; in CI (CI=true) a missing
# device is a failure, never a skip.
no_vulkan=""
if ! "$cuecard" render --queue "$src/data/samples/recipients.csv" --theme default \
     --out "$out/run" --size 960x540 >"$out/stdout.txt" 2>"$out/stderr.txt"; then
  if grep -q "no Vulkan" "$out/stderr.txt"; then
    no_vulkan="$(cat "$out/stderr.txt")"
  else
    check "render exits 0 ($(cat "$out/stderr.txt"))" false
  fi
fi
if [ -n "$no_vulkan" ]; then
  if [ "${CI:-}" = true ]; then
    check "a Vulkan device for the render checks (CI=true: a skip is a failure): $no_vulkan" false
  else
    echo "SKIPPED (the render checks): $no_vulkan"
  fi
else
  rows=$(($(wc -l <"$src/data/samples/recipients.csv") - 1))
  check "one PNG per recipient ($rows)" test "$(ls "$out/run"/[0-9][0-9][0-9]_*.png | wc -l)" -eq "$rows"
  check "001 is Jane Doe" test -f "$out/run/001_jane-doe.png"
  check "CJK name kept in the file name" test -f "$out/run/005_李小龙.png"
  check "contact sheet written" test -s "$out/run/contact-sheet.png"
  check "PNG signature" bash -c "head -c 8 '$out/run/001_jane-doe.png' | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a'"
  check "the long name is reported as cut" grep -q "cut to" "$out/stdout.txt"
  check "summary line" grep -q "^wrote $rows overlays and contact-sheet.png" "$out/stdout.txt"

  # Running again never overwrites: the new files get a suffix.
  "$cuecard" render --queue "$src/data/samples/recipients.csv" --out "$out/run" --size 320x180 >/dev/null 2>&1
  check "second run keeps the first files" test -f "$out/run/001_jane-doe-2.png"
  check "second contact sheet suffixed" test -f "$out/run/contact-sheet-2.png"
fi

# Errors: exit non-zero with one line on stderr naming the problem.
printf 'full_name,company\nJane,"Acme\n' >"$out/bad.csv"
"$cuecard" render --queue "$out/bad.csv" --out "$out/x" 2>"$out/err1.txt"; code=$?
check "bad queue exits 1" test "$code" -eq 1
check "bad queue names file, line and column" grep -qx "cuecard render: bad.csv:2:6: error: unterminated quote (a field opens with \" and never closes); the row was skipped; no recipient could be loaded" "$out/err1.txt"
check "bad queue error is one line" test "$(wc -l <"$out/err1.txt")" -eq 1

"$cuecard" render --queue "$src/data/samples/recipients.csv" --theme no-such-theme --out "$out/x" 2>"$out/err2.txt"; code=$?
check "bad theme exits 1" test "$code" -eq 1
check "bad theme lists the built-in ones" grep -q 'no built-in theme named "no-such-theme" (built-in: .*default' "$out/err2.txt"

printf 'email,company\njane@acme.example,Acme\n' >"$out/nofield.csv"
"$cuecard" render --queue "$out/nofield.csv" --out "$out/x" 2>"$out/err3.txt"; code=$?
check "missing field exits 1" test "$code" -eq 1
check "missing field names the queue's fields" grep -q "which the queue does not have (it has: email, company)" "$out/err3.txt"

touch "$out/afile"
"$cuecard" render --queue "$src/data/samples/recipients.csv" --out "$out/afile/sub" 2>"$out/err4.txt"; code=$?
check "unwritable out exits 1" test "$code" -eq 1
check "unwritable out says so" grep -q "cannot create the output folder" "$out/err4.txt"

"$cuecard" render --out "$out/x" 2>"$out/err5.txt"; code=$?
check "missing --queue is a usage error (2)" test "$code" -eq 2
"$cuecard" render --queue q --out o --size 12by3 2>"$out/err6.txt"; code=$?
check "bad --size is a usage error (2)" test "$code" -eq 2

# No Vulkan driver at all: a clear message, not a crash.
VK_ICD_FILENAMES=/nonexistent.json VK_DRIVER_FILES=/nonexistent.json \
  "$cuecard" render --queue "$src/data/samples/recipients.csv" --out "$out/novk" 2>"$out/err7.txt"; code=$?
check "no Vulkan driver exits 1" test "$code" -eq 1
check "no Vulkan driver says what to install" grep -q "install mesa-vulkan-drivers" "$out/err7.txt"

# cuecard check: diagnostics and per-recipient notes, exit 0 clean / 1 warnings / 2 errors.
corpus="$src/tests/queue-corpus"
"$cuecard" check --queue "$corpus/crm-hubspot.csv" >"$out/check0.txt"; code=$?
check "check: a clean queue exits 0" test "$code" -eq 0
check "check: summary line" grep -qx "crm-hubspot.csv: 1 recipients (CSV (comma)), 0 error(s), 0 warning(s), 0 note(s) for theme Default" "$out/check0.txt"
"$cuecard" check --queue "$src/data/samples/recipients.csv" >"$out/check1.txt"; code=$?
check "check: warnings only exits 1" test "$code" -eq 1
check "check: the long name is reported cut" grep -q '^recipients.csv:9: #8 Maximilian .*: warning: cut to fit: "Maximilian Alexander Wolfgang von Hohenz[a-z]*…"$' "$out/check1.txt"
check "check: an empty title is a note" grep -q '^recipients.csv:10: #9 Sam Lee: note: title is empty, shown: "Initech"$' "$out/check1.txt"
"$cuecard" check --queue "$corpus/ragged-more.csv" >"$out/check2.txt"; code=$?
check "check: errors exit 2" test "$code" -eq 2
check "check: FILE:LINE:COLUMN diagnostics" grep -q '^ragged-more.csv:3:17: error: row has 3 fields but the header has 2' "$out/check2.txt"
printf 'full_name\nA \xcd\xb8 B\n' >"$out/glyphs.csv"
"$cuecard" check --queue "$out/glyphs.csv" >"$out/check3.txt"; code=$?
check "check: glyphs no font has are warnings" grep -q "warning: no installed font has" "$out/check3.txt"
# Emoji: one Noto Color Emoji has (a waving hand with a skin tone) is fine; one no font has
# (U+10FFFD, private use: no Debian release's fonts have it, whatever Unicode version their emoji
# font follows) is named.
printf 'full_name,email\nJane \xf0\x9f\x91\x8b\xf0\x9f\x8f\xbd Doe,jane@x.example\nSam \xf4\x8f\xbf\xbd Lee,sam@x.example\n' >"$out/emoji.csv"
"$cuecard" check --queue "$out/emoji.csv" >"$out/check-emoji.txt"
check "check: a character no font has is named" grep -q '^emoji.csv:3: #2 Sam .* Lee: warning: no installed font has U+10FFFD' "$out/check-emoji.txt"
check "check: a color emoji the font has is no warning" sh -c "! grep -q '^emoji.csv:2:' '$out/check-emoji.txt'"
"$cuecard" check --queue "$corpus/empty.csv" >"$out/check4.txt"; code=$?
check "check: an empty file exits 2" test "$code" -eq 2

# Private notes: a theme naming {notes} is refused with the field to use; check says which
# columns reach the video; a queue from before talking_points is told why the note is generic.
"$cuecard" check --queue "$src/data/samples/recipients.csv" --theme sticky-note >"$out/check-private1.txt"; code=$?
check "check: sticky-note puts talking_points on camera, notes private" grep -qx "recipients.csv: columns for theme Sticky note: on camera: full_name, talking_points · private, never in the video: notes · not shown: title, company, email" "$out/check-private1.txt"
check "check: sticky-note shows the fallback for an empty talking point (a note)" grep -q '^recipients.csv:4: #3 .*: note: talking_points is empty, shown: "Made for you"$' "$out/check-private1.txt"
printf '{"cuecard_theme": 1, "elements": [{"type": "text", "text": "{comments|}", "size": 40}]}' >"$out/leaky-theme.json"
"$cuecard" check --queue "$src/data/samples/recipients.csv" --theme "$out/leaky-theme.json" >"$out/check-private2.txt"; code=$?
check "check: a theme naming a private field exits 2" test "$code" -eq 2
check "check: ... and says what to use instead" grep -q 'uses {comments}, the rep.s private notes .*write {talking_points} instead' "$out/check-private2.txt"
printf 'full_name,notes
Jane Doe,Budget approved
' >"$out/old-notes.csv"
"$cuecard" check --queue "$out/old-notes.csv" --theme sticky-note >"$out/check-private3.txt"; code=$?
check "check: a queue with notes but no talking_points is told so" grep -q '^old-notes.csv: note: the theme draws {talking_points}, which this queue has no column for.*the notes column stays private' "$out/check-private3.txt"
"$cuecard" render --queue "$out/old-notes.csv" --theme "$out/leaky-theme.json" --out "$out/leaky" >/dev/null 2>"$out/render-private.txt"; code=$?
check "render: a theme naming a private field renders nothing (exit 1)" sh -c "[ $code -eq 1 ] && [ ! -e '$out/leaky/001_jane-doe.png' ]"

# check with pictures (theme "logo", column "logo"): a local file is read and decoded, a hostile
# path is refused, an http address not in the picture cache is a note (check never fetches).
mkdir -p "$out/pictures/logos"
printf 'not a picture' >"$out/pictures/logos/broken.png"
printf 'full_name,email,logo\nGood,g@x.example,logos/missing-is-fine-with-fallback.svg\nBroken,b@x.example,logos/broken.png\nSneaky,s@x.example,../../etc/passwd\nRemote,r@x.example,https://127.0.0.1:9/logo.png\n' >"$out/pictures/queue.csv"
XDG_CACHE_HOME="$out/cache" "$cuecard" check --queue "$out/pictures/queue.csv" --theme logo >"$out/check5.txt"; code=$?
check "check: picture problems are warnings (exit 1)" test "$code" -eq 1
check "check: a picture that is not one is named, the fallback used" grep -q '^queue.csv:3: #2 Broken: warning: picture elements\[2\] {logo|images/logo-placeholder.svg} logos/broken.png: not a picture (PNG, JPEG, WebP, GIF or SVG); fallback used$' "$out/check5.txt"
check "check: .. is refused" grep -q '^queue.csv:4: #3 Sneaky: warning: picture .*"\.\." is not allowed in a picture path; fallback used$' "$out/check5.txt"
check "check: an address not fetched yet is a note" grep -q '^queue.csv:5: #4 Remote: note: picture .*https://127.0.0.1:9/logo.png: not fetched yet' "$out/check5.txt"
# (That check makes no request at all, even where fetching is allowed, is asserted against a
# server that counts requests: tests/cli/test_cli_network.cpp.)

# prepare: every picture fetched/decoded, problems in the check style, exit 1 with warnings.
cp "$src/data/themes/images/logo-placeholder.svg" "$out/pictures/logos/good.svg"
printf 'full_name,email,logo\nGood,g@x.example,logos/good.svg\nBroken,b@x.example,logos/broken.png\n' >"$out/pictures/prepare.csv"
XDG_CACHE_HOME="$out/cache" "$cuecard" prepare --queue "$out/pictures/prepare.csv" --theme logo >"$out/prepare1.txt" 2>"$out/prepare1.err"; code=$?
check "prepare: a picture it cannot use is a warning (exit 1)" test "$code" -eq 1
check "prepare: the problem is named per recipient" grep -q '^prepare.csv:3: #2 Broken: warning: picture .*logos/broken.png: not a picture' "$out/prepare1.txt"
check "prepare: summary" grep -q '^prepare.csv: 2 recipients, 1 with every picture ready, 1 warning(s)' "$out/prepare1.txt"
check "prepare: progress on stderr" grep -q '^prepared 2/2$' "$out/prepare1.err"
"$cuecard" prepare --queue "$out/pictures/prepare.csv" --theme default >"$out/prepare2.txt"; code=$?
check "prepare: a theme without pictures has nothing to do (exit 0)" test "$code" -eq 0
check "prepare: says so" grep -q 'has no pictures: nothing to prepare' "$out/prepare2.txt"
"$cuecard" prepare --theme logo >/dev/null 2>&1; code=$?
check "prepare: missing --queue is a usage error (3)" test "$code" -eq 3

echo "cli: $passes passed, $fails failed"
[ "$fails" -eq 0 ] || exit 1
[ -z "$no_vulkan" ] || exit 77
