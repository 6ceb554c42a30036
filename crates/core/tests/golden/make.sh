#!/usr/bin/env bash
# Makes the golden outputs of `postsafe pack build/check/diff` that
# crates/core/tests/cli_parity.rs and crates/cli/tests/cli_parity.rs compare against.
# They were made with the CLI of commit bff95bd, before pack building, checking and
# diffing moved into crates/core (issue 15): the move must not change a byte.
# Run from the repository root: crates/core/tests/golden/make.sh PATH/TO/postsafe
#
# When an output changes on purpose (the engine compiles more spellings, so `pack check`
# prints another count; the pack format changes), run this again with the new CLI and
# commit the files that changed, saying why in the commit. The hashed pack's hashes are
# never compared (they depend on the hashing scheme): only its salt and the rest of it.
set -u
P="${1:?usage: make.sh POSTSAFE}"
G=crates/core/tests/golden
EX=examples/wcat
AD=tests/e2e/fixtures/admin
run() { # NAME ARGS...: stdout, stderr and exit status of one run
  local name="$1"; shift
  "$P" "$@" >"$G/$name.stdout" 2>"$G/$name.stderr"
  echo $? >"$G/$name.status"
}
run build-wcat pack build --name "Wythenshawe Catholic Academy Trust" --id wcat \
  --pack-version 2026.11.29 --expires 2099-12-31 \
  --schools $EX/gias_wcat_schools.csv --pupils $EX/pupils_sims.csv --staff $EX/staff.csv \
  --terms $EX/terms.json -o $G/wcat.pack.json
run build-wcat-hashed pack build --name "Wythenshawe Catholic Academy Trust" --id wcat \
  --pack-version 2026.11.29 --expires 2099-12-31 --hash-roster \
  --schools $EX/gias_wcat_schools.csv --pupils $EX/pupils_sims.csv --staff $EX/staff.csv \
  --terms $EX/terms.json -o $G/wcat-hashed.pack.json
run build-admin pack build --name "Wythenshawe Catholic Academy Trust" \
  --pack-version 2026.11.29 --expires 2020-01-31 \
  --schools $AD/gias_extract.csv --trust "wythenshawe catholic academy trust" \
  --pupils $AD/pupils_sims.csv --staff $AD/staff.csv --terms $AD/terms.json -o $G/admin.pack.json
run build-urn pack build --name "Two schools" --id two \
  --pack-version 1 --expires 2099-01-01 \
  --schools $AD/gias_extract.csv --urn 100000 --urn 139458 -o $G/urn.pack.json
run build-bad-urn pack build --name T --schools $AD/gias_extract.csv --urn 99 -o $G/never.json
run build-bad-trust pack build --name T --schools $AD/gias_extract.csv --trust "No Such Trust" -o $G/never.json
run build-bad-roster pack build --name T --pupils $EX/staff.csv -o $G/never.json
run build-bad-terms pack build --name T --terms $EX/pupils_sims.csv -o $G/never.json
run check-wcat pack check $G/wcat.pack.json
run check-wcat-hashed pack check $G/wcat-hashed.pack.json
run check-admin pack check $G/admin.pack.json
run check-urn pack check $G/urn.pack.json
run diff-wcat-admin pack diff $G/wcat.pack.json $G/admin.pack.json
run diff-wcat-hashed pack diff $G/wcat.pack.json $G/wcat-hashed.pack.json
run diff-hashed-hashed pack diff $G/wcat-hashed.pack.json $G/wcat-hashed.pack.json
run diff-admin-urn pack diff $G/admin.pack.json $G/urn.pack.json
rm -f $G/never.json
