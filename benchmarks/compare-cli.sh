#!/usr/bin/env bash
# Times the whole `./sealpost seal` of a large random file beside `gpg -z 0 -e` to an RSA-3072 key
# and `openssl cms -encrypt -binary -outform DER` to an RSA-3072 certificate, on the same file,
# with hyperfine. Results: docs/PERFORMANCE.md ("Envelope format and CLI").
#
#   benchmarks/compare-cli.sh [WORK_DIR]      (SIZE_MIB=1024 RUNS=5 by default)
#
# Needs hyperfine (apt-get install -y hyperfine), gpg and openssl. Uses a throw-away GNUPGHOME.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/sealpost-compare.XXXXXX)}"
size_mib="${SIZE_MIB:-1024}"
runs="${RUNS:-5}"
mkdir -p "$work"
cd "$work"

[ -f "$root/cli/target/sealpost-cli.jar" ] || (cd "$root" && ./mvnw -q -pl cli -am -DskipTests package)

if [ ! -f big.bin ] || [ "$(stat -c %s big.bin)" -ne $((size_mib << 20)) ]; then
  echo "compare: writing ${size_mib} MiB of random data to $work/big.bin" >&2
  head -c $((size_mib << 20)) /dev/urandom > big.bin
fi
echo "The documents are attached." > message.txt

if [ ! -f bob.pub.jwk ]; then
  "$root/sealpost" keys generate --use enc --private-out bob.jwk --public-out bob.pub.jwk >/dev/null
  "$root/sealpost" keys generate --use sig --private-out acme.jwk --public-out acme.pub.jwk >/dev/null
fi

export GNUPGHOME="$work/gnupg"
if [ ! -d "$GNUPGHOME" ]; then
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --pinentry-mode loopback --passphrase '' \
    --quick-gen-key 'Bench Recipient <bench@example.com>' rsa3072 cert never 2>/dev/null
  fpr=$(gpg --batch --with-colons --list-keys bench@example.com | awk -F: '/^fpr/ {print $10; exit}')
  gpg --batch --pinentry-mode loopback --passphrase '' --quick-add-key "$fpr" rsa3072 encr never 2>/dev/null
fi

if [ ! -f cms.crt ]; then
  openssl req -x509 -newkey rsa:3072 -nodes -keyout cms.key -out cms.crt -subj /CN=bench -days 30 2>/dev/null
fi

echo "compare: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
java -version 2>&1 | head -1 >&2

seal="$root/sealpost seal --to bob.pub.jwk --sign-key acme.jwk --subject S --message-file message.txt --attach big.bin --out env"
gpg_enc='gpg --batch --yes -z 0 --trust-model always -r bench@example.com -o big.bin.gpg -e big.bin'
cms_enc='openssl cms -encrypt -binary -outform DER -in big.bin -out big.bin.p7m cms.crt'

hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/seal.md" --export-json "$work/seal.json" \
  --prepare 'rm -rf env' "$seal" \
  --prepare 'rm -f big.bin.gpg' "$gpg_enc"
# openssl cms is an order of magnitude slower on large files here: fewer runs.
hyperfine --runs "${CMS_RUNS:-2}" --export-markdown "$work/seal-cms.md" --export-json "$work/seal-cms.json" \
  --prepare 'rm -f big.bin.p7m' "$cms_enc"

rm -rf env && $seal >/dev/null
$gpg_enc
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/open.md" --export-json "$work/open.json" \
  --prepare 'rm -rf out' \
  "$root/sealpost open env --key bob.jwk --trust acme.pub.jwk --out out" \
  --prepare 'rm -f big.out' \
  'gpg --batch --yes --pinentry-mode loopback --passphrase "" -o big.out -d big.bin.gpg'
cmp big.bin out/big.bin

echo "size: plaintext $(stat -c %s big.bin), sealpost $(stat -c %s env/attachments/*), gpg $(stat -c %s big.bin.gpg), cms $(stat -c %s big.bin.p7m)" >&2
echo "compare: results in $work/seal.md, $work/seal-cms.md and $work/open.md (load now $(cut -d' ' -f1-3 /proc/loadavg))" >&2
