#!/usr/bin/env bash
# Times the whole `./sealpost seal` and `./sealpost open` of a large random file beside age (X25519
# recipient) and gpg (`-z 0`, RSA-3072 key) on the same file, all in ONE hyperfine run so that a
# changing machine load hits every command alike, and prints the ratios age/sealpost and
# gpg/sealpost (> 1: sealpost is faster). Then seals and opens once more with a 64 MiB heap
# (-Xmx64m) and prints the peak RSS, to show memory stays flat. Results: docs/PERFORMANCE.md.
# Before every timed run the previous output is removed and `sync`ed, so the page cache's writeback
# of the last run's 1 GiB does not land in the next command's time.
#
#   benchmarks/compare-cli.sh [WORK_DIR]
#
# Settings (environment):
#   SIZE_MIB=1024   size of the random file
#   RUNS=3          hyperfine runs per command (after one warm-up run)
#   BASELINE=DIR    another checkout (e.g. a clone of main) whose ./sealpost runs in the same
#                   hyperfine run, for before/after figures; its jar must be built
#   VARIANT_OPTS=...  JAVA_OPTS for a second run of this checkout's ./sealpost in the same hyperfine
#                   run, for A/B of a switch, e.g. -Dsealpost.sha256.inlineBytes=9223372036854775807
#                   (hash on the main thread only) or -Dsealpost.noWarmUp=false (the JIT warm-up
#                   thread back on; ./sealpost turns it off)
#   BOOST=1         give this benchmark's process group nice -12 on a shared, loaded machine
#                   (Linux autogroups; needs root); BOOST=0 runs it as it is
#   CMS_RUNS=0      > 0 also times `openssl cms -encrypt` that many times (slow: ~60 s a run)
#
# Needs hyperfine, age, gpg (apt-get install -y hyperfine age gnupg). Uses a throw-away GNUPGHOME.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/sealpost-compare.XXXXXX)}"
size_mib="${SIZE_MIB:-1024}"
runs="${RUNS:-3}"
baseline="${BASELINE:-}"
mkdir -p "$work"
cd "$work"

for tool in hyperfine age gpg python3; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "compare: installing $tool" >&2
      apt-get install -y "$( [ "$tool" = gpg ] && echo gnupg || echo "$tool")" >/dev/null
    else
      echo "compare: $tool is missing (apt-get install -y $tool)" >&2
      exit 1
    fi
  fi
done

[ -f "$root/cli/target/sealpost-cli.jar" ] || (cd "$root" && ./mvnw -q -pl cli -am -DskipTests package)
# The first run of the wrapper after a build prepares its class-data archive: not part of the timing.
"$root/sealpost" --version >/dev/null
if [ -n "$baseline" ]; then
  [ -f "$baseline/cli/target/sealpost-cli.jar" ] || { echo "compare: build $baseline first" >&2; exit 1; }
  "$baseline/sealpost" --version >/dev/null
fi

if [ ! -f big.bin ] || [ "$(stat -c %s big.bin)" -ne $((size_mib << 20)) ]; then
  echo "compare: writing ${size_mib} MiB of random data to $work/big.bin" >&2
  head -c $((size_mib << 20)) /dev/urandom > big.bin
fi
echo "The documents are attached." > message.txt

if [ ! -f bob.pub.jwk ]; then
  "$root/sealpost" keys generate --use enc --private-out bob.jwk --public-out bob.pub.jwk >/dev/null
  "$root/sealpost" keys generate --use sig --private-out acme.jwk --public-out acme.pub.jwk >/dev/null
fi
[ -f age.key ] || age-keygen -o age.key 2>/dev/null
age_recipient="$(grep -o 'age1[0-9a-z]*' age.key | head -1)"

export GNUPGHOME="$work/gnupg"
if [ ! -d "$GNUPGHOME" ]; then
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --pinentry-mode loopback --passphrase '' \
    --quick-gen-key 'Bench Recipient <bench@example.com>' rsa3072 cert never 2>/dev/null
  fpr=$(gpg --batch --with-colons --list-keys bench@example.com | awk -F: '/^fpr/ {print $10; exit}')
  gpg --batch --pinentry-mode loopback --passphrase '' --quick-add-key "$fpr" rsa3072 encr never 2>/dev/null
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "compare: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(load)" >&2
java -version 2>&1 | head -1 >&2
echo "compare: $(age --version 2>&1 | head -1) (age), $(gpg --version | head -1), $(hyperfine --version)" >&2

seal_args="--to bob.pub.jwk --sign-key acme.jwk --subject S --message-file message.txt --attach big.bin"
open_args="--key bob.jwk --trust acme.pub.jwk"
seal="$root/sealpost seal $seal_args --out seal.env"
open="$root/sealpost open env --key bob.jwk --trust acme.pub.jwk --out open.out"
age_enc="age -r $age_recipient -o seal.age big.bin"
age_dec="age -d -i age.key -o open.age.out big.bin.age"
gpg_enc="gpg --batch --yes -z 0 --trust-model always -r bench@example.com -o seal.gpg -e big.bin"
gpg_dec="gpg --batch --yes --pinentry-mode loopback --passphrase '' -o open.gpg.out -d big.bin.gpg"

# The inputs of the open commands, made once (the seal commands write elsewhere).
rm -rf env && $root/sealpost seal $seal_args --out env >/dev/null
age -r "$age_recipient" -o big.bin.age big.bin
gpg --batch --yes -z 0 --trust-model always -r bench@example.com -o big.bin.gpg -e big.bin

commands=(
  -n "sealpost seal" --prepare 'rm -rf seal.env; sync' "$seal"
  -n "age -r" --prepare 'rm -f seal.age; sync' "$age_enc"
  -n "gpg -e" --prepare 'rm -f seal.gpg; sync' "$gpg_enc"
  -n "sealpost open" --prepare 'rm -rf open.out; sync' "$open"
  -n "age -d" --prepare 'rm -f open.age.out; sync' "$age_dec"
  -n "gpg -d" --prepare 'rm -f open.gpg.out; sync' "$gpg_dec"
)
if [ -n "$baseline" ]; then
  rm -rf env.base && "$baseline/sealpost" seal $seal_args --out env.base >/dev/null
  commands+=(
    -n "baseline seal" --prepare 'rm -rf seal.base; sync' "$baseline/sealpost seal $seal_args --out seal.base"
    -n "baseline open" --prepare 'rm -rf open.base; sync' "$baseline/sealpost open env.base $open_args --out open.base"
  )
fi

if [ -n "${VARIANT_OPTS:-}" ]; then
  commands+=(
    -n "variant seal" --prepare 'rm -rf seal.var; sync' "JAVA_OPTS='$VARIANT_OPTS' $root/sealpost seal $seal_args --out seal.var"
    -n "variant open" --prepare 'rm -rf open.var; sync' "JAVA_OPTS='$VARIANT_OPTS' $root/sealpost open env $open_args --out open.var"
  )
fi

boost=()
if [ "${BOOST:-1}" = 1 ] && [ -w /proc/self/autogroup ] && command -v setsid >/dev/null; then
  # shellcheck disable=SC2016
  boost=(setsid bash -c 'echo -12 > /proc/$$/autogroup 2>/dev/null; exec nice -n -12 "$@"' boost)
fi
echo "compare: load before $(load)" >&2
"${boost[@]}" hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/cli.md" \
  --export-json "$work/cli.json" "${commands[@]}"
echo "compare: load after $(load)" >&2

cmp big.bin open.out/big.bin
cmp big.bin open.age.out
cmp big.bin open.gpg.out

python3 - "$work/cli.json" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
def line(verb, other):
    a, b = r[other], r["sealpost " + verb]
    print(f"ratio {other}/sealpost {verb}: {a['mean'] / b['mean']:.2f}"
          f"  ({a['mean']:.2f} s / {b['mean']:.2f} s)")
for verb, tools in (("seal", ("age -r", "gpg -e")), ("open", ("age -d", "gpg -d"))):
    for t in tools:
        line(verb, t)
    for other in ("baseline " + verb, "variant " + verb):
        if other in r:
            line(verb, other)
EOF

if [ "${CMS_RUNS:-0}" -gt 0 ]; then
  [ -f cms.crt ] || openssl req -x509 -newkey rsa:3072 -nodes -keyout cms.key -out cms.crt -subj /CN=bench -days 30 2>/dev/null
  "${boost[@]}" hyperfine --runs "$CMS_RUNS" --export-markdown "$work/cms.md" \
    --prepare 'rm -f big.bin.p7m' 'openssl cms -encrypt -binary -outform DER -in big.bin -out big.bin.p7m cms.crt'
fi

# Memory: the same seal and open in a 64 MiB heap; peak RSS of the whole process.
rss() { /usr/bin/time -f '%M' -o rss.txt "$@" >/dev/null && echo "$(($(cat rss.txt) / 1024)) MiB"; }
rm -rf mem.env mem.out
echo "memory: sealpost seal -Xmx64m, ${size_mib} MiB file: peak RSS $(JAVA_OPTS=-Xmx64m rss "$root/sealpost" seal $seal_args --out mem.env)"
echo "memory: sealpost open -Xmx64m: peak RSS $(JAVA_OPTS=-Xmx64m rss "$root/sealpost" open mem.env $open_args --out mem.out)"
cmp big.bin mem.out/big.bin
echo "memory: age -r: peak RSS $(rss age -r "$age_recipient" -o mem.age big.bin); gpg -e: peak RSS $(rss gpg --batch --yes -z 0 --trust-model always -r bench@example.com -o mem.gpg -e big.bin)"
rm -rf mem.env mem.out mem.age mem.gpg seal.env seal.age seal.gpg open.out open.age.out open.gpg.out seal.base open.base seal.var open.var

echo "size: plaintext $(stat -c %s big.bin), sealpost $(stat -c %s env/attachments/*), age $(stat -c %s big.bin.age), gpg $(stat -c %s big.bin.gpg)" >&2
echo "compare: results in $work/cli.md and $work/cli.json (load now $(load))" >&2
