#!/usr/bin/env bash
# Checks a Dockerfile without building it, for a machine (like CI here) with no Docker engine:
#   scripts/lint-dockerfile.sh [--context DIR] [--no-docker] [DOCKERFILE]
# DIR is the build context (default: the repository root), DOCKERFILE defaults to DIR/Dockerfile. When a Docker
# engine answers (and --no-docker is not given), `docker build --check` runs first. The static checks always run:
#   - every COPY/ADD source without --from= exists in the context (globs allowed) and .dockerignore keeps it in;
#   - every src/, scripts/ or tests/ path a RUN names exists in the context and is not ignored;
#   - every COPY --from= names an earlier build stage (or a stage index, or an image reference);
#   - a project file copied on its own keeping its path (the restore layer) comes with every project it references,
#     before the RUN that follows it;
#   - the final stage has a USER that is not root and a HEALTHCHECK, and is not FROM an SDK image.
# Instructions are read as Docker reads them: `\` continues a line, `#` lines are comments (also inside a continued
# instruction), heredocs (<<EOF) are skipped over, and ARG/ENV values are substituted into FROM, COPY, ADD and USER
# (a source that still holds an unknown variable is not checked). One line per problem, `DOCKERFILE:LINE: message`;
# exit 1 when there is any, 2 on a usage error. Bash, awk, grep, sed and coreutils only; no network.
set -euo pipefail

usage() {
  echo "usage: scripts/lint-dockerfile.sh [--context DIR] [--no-docker] [DOCKERFILE]" >&2
  exit 2
}

repo=$(cd "$(dirname "$0")/.." && pwd)
context=""
dockerfile=""
use_docker=1
while [ "$#" -gt 0 ]; do
  case "$1" in
    --context) [ "$#" -ge 2 ] || usage; context=$2; shift 2 ;;
    --context=*) context=${1#--context=}; shift ;;
    --no-docker) use_docker=0; shift ;;
    -h | --help) usage ;;
    -*) echo "lint-dockerfile: unknown option $1" >&2; usage ;;
    *) [ -z "$dockerfile" ] || usage; dockerfile=$1; shift ;;
  esac
done
context=${context:-$repo}
dockerfile=${dockerfile:-$context/Dockerfile}
[ -d "$context" ] || { echo "lint-dockerfile: no build context directory $context" >&2; exit 2; }
[ -f "$dockerfile" ] || { echo "lint-dockerfile: no Dockerfile at $dockerfile" >&2; exit 2; }
label=${dockerfile#"$PWD"/}

failed=0
if [ "$use_docker" = 1 ] && command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; then
  if docker build --help 2>/dev/null | grep -q -- '--check'; then
    echo "lint-dockerfile: docker build --check -f $label $context" >&2
    docker build --check -f "$dockerfile" "$context" || {
      echo "$label:1: docker build --check failed (its messages are above)"
      failed=1
    }
  else
    echo "lint-dockerfile: this docker build has no --check (it needs BuildKit); static checks only" >&2
  fi
elif [ "$use_docker" = 1 ]; then
  echo "lint-dockerfile: no Docker engine answers here; static checks only" >&2
fi

# --- .dockerignore: each pattern as an extended regex that matches the path or anything below it -----------------
ignore_re=()
ignore_neg=()
ignore_pat=()

# pattern_regex PATTERN: the Go filepath.Match pattern with `**` (as moby's patternmatcher reads it) as an ERE.
pattern_regex() {
  local p=$1 re="" c i n=${#1}
  for ((i = 0; i < n; i++)); do
    c=${p:i:1}
    case "$c" in
      '*')
        if [ "${p:i+1:1}" = '*' ]; then
          i=$((i + 1))
          if [ "${p:i+1:1}" = / ]; then i=$((i + 1)); re+='(.*/)?'; else re+='.*'; fi
        else
          re+='[^/]*'
        fi
        ;;
      '?') re+='[^/]' ;;
      '[')
        local class="" j=$((i + 1))
        if [ "${p:j:1}" = '!' ] || [ "${p:j:1}" = '^' ]; then class='^'; j=$((j + 1)); fi
        while [ "$j" -lt "$n" ] && [ "${p:j:1}" != ']' ]; do class+=${p:j:1}; j=$((j + 1)); done
        re+="[$class]"; i=$j
        ;;
      \\) i=$((i + 1)); c=${p:i:1}; re+="\\$c" ;;
      '.' | '+' | '(' | ')' | '|' | '^' | '$' | '{' | '}') re+="\\$c" ;;
      *) re+=$c ;;
    esac
  done
  printf '^%s(/.*)?$' "$re"
}

if [ -f "$context/.dockerignore" ]; then
  while IFS= read -r raw || [ -n "$raw" ]; do
    pattern=$(printf '%s' "$raw" | sed -e 's/\r$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
    case "$pattern" in '' | '#'*) continue ;; esac
    neg=0
    if [ "${pattern:0:1}" = '!' ]; then
      neg=1
      pattern=$(printf '%s' "${pattern:1}" | sed -e 's/^[[:space:]]*//')
    fi
    # filepath.Clean, as moby does: no leading /, ./ or trailing /, single slashes.
    clean=$(printf '%s' "$pattern" | sed -e 's#//*#/#g' -e 's#^/##' -e 's#^\./##' -e 's#/\.$##' -e 's#/$##')
    [ -n "$clean" ] || continue
    ignore_re+=("$(pattern_regex "$clean")")
    ignore_neg+=("$neg")
    ignore_pat+=("${raw%$'\r'}")
  done < "$context/.dockerignore"
fi

# ignored PATH: true when .dockerignore keeps PATH (relative to the context) out; IGNORED_BY names the pattern.
IGNORED_BY=""
ignored() {
  local path=$1 i verdict=1
  IGNORED_BY=""
  for i in "${!ignore_re[@]}"; do
    if [[ $path =~ ${ignore_re[i]} ]]; then
      if [ "${ignore_neg[i]}" = 1 ]; then verdict=1; IGNORED_BY=""; else verdict=0; IGNORED_BY=${ignore_pat[i]}; fi
    fi
  done
  return "$verdict"
}

problems=()
problem() { problems+=("$1"$'\t'"$2"); }

# check_path LINE WHAT PATH: PATH (relative to the context, globs allowed) exists and is not ignored; WHAT names it
# in the message (`COPY source`, `RUN path`).
check_path() {
  local line=$1 what=$2 shown=$3 rel=$3 match kept=0
  rel=${rel#./}
  while [ "${rel:0:1}" = / ]; do rel=${rel#/}; done
  while [ "${rel: -1}" = / ]; do rel=${rel%/}; done
  [ -n "$rel" ] && [ "$rel" != . ] || return 0
  if [[ $rel == *[*?[]* ]]; then
    local matches=()
    mapfile -t matches < <(cd "$context" && shopt -s dotglob && { compgen -G "$rel" || true; })
    if [ "${#matches[@]}" = 0 ]; then
      problem "$line" "$what '$shown' matches nothing in the build context"
      return 0
    fi
    for match in "${matches[@]}"; do ignored "$match" || kept=1; done
    [ "$kept" = 1 ] || problem "$line" "$what '$shown': .dockerignore excludes every match"
  elif [ ! -e "$context/$rel" ] && [ ! -L "$context/$rel" ]; then
    problem "$line" "$what '$shown' does not exist in the build context"
  elif ignored "$rel"; then
    problem "$line" "$what '$shown' is excluded by .dockerignore (pattern '$IGNORED_BY')"
  fi
}

# --- the Dockerfile: awk reads the instructions and reports what to check -----------------------------------------
# Output, tab-separated: `P LINE message` (a problem), `C LINE INSTRUCTION SOURCE` (a COPY/ADD source in the
# context), `R LINE PATH` (a repository path a RUN names).
parse() {
  awk '
    function trim(s) { sub(/^[ ]+/, "", s); sub(/[ ]+$/, "", s); return s }
    # Shell-like words: quotes group and are removed, a backslash escapes the next character.
    function words(s, arr,   n, i, c, q, cur, intok, len) {
      n = 0; cur = ""; q = ""; intok = 0; len = length(s)
      for (i = 1; i <= len; i++) {
        c = substr(s, i, 1)
        if (q != "") {
          if (c == q) q = ""
          else if (c == "\\" && q == "\"" && i < len) { i++; cur = cur substr(s, i, 1) }
          else cur = cur c
          continue
        }
        if (c == "\"" || c == "\047") { q = c; intok = 1; continue }
        if (c == "\\" && i < len) { i++; cur = cur substr(s, i, 1); intok = 1; continue }
        if (c == " ") { if (intok) { arr[++n] = cur; cur = ""; intok = 0 }; continue }
        cur = cur c; intok = 1
      }
      if (intok) arr[++n] = cur
      return n
    }
    # The strings of a JSON array (["a", "b"]), unescaped enough for paths.
    function jsonwords(s, arr,   n, t) {
      n = 0
      while (match(s, /"([^"\\]|\\.)*"/)) {
        t = substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH)
        gsub(/\\"/, "\"", t); gsub(/\\\\/, "\\", t)
        arr[++n] = t
      }
      return n
    }
    function lookup(name) {
      if (stage == 0) { if (name in gval) { LV = gval[name]; return 1 }; return 0 }
      if ((stage SUBSEP name) in sval) { LV = sval[stage, name]; return 1 }
      return 0
    }
    # ARG/ENV substitution: $X, ${X}, ${X:-word}, ${X:+word}; an unknown variable becomes \001.
    function subst(s,   out, tok, inner, name, op, word, have, val) {
      out = ""
      while (match(s, /\$(\{[A-Za-z_][A-Za-z0-9_]*(:?[-+][^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)/)) {
        out = out substr(s, 1, RSTART - 1); tok = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
        op = ""; word = ""
        if (substr(tok, 2, 1) == "{") {
          inner = substr(tok, 3, length(tok) - 3); name = inner
          if (match(inner, /:?[-+]/)) {
            name = substr(inner, 1, RSTART - 1); op = substr(inner, RSTART, RLENGTH); word = substr(inner, RSTART + RLENGTH)
          }
        } else name = substr(tok, 2)
        have = lookup(name)
        if (op ~ /-/) val = (have && LV != "") ? LV : word
        else if (op ~ /\+/) val = (have && LV != "") ? word : ""
        else val = have ? LV : "\001"
        out = out val
      }
      return out s
    }
    function problem(line, msg) { printf "P\t%d\t%s\n", line, msg }
    function isroot(u) { sub(/:.*/, "", u); return u == "root" || u == "0" }
    function setvar(name, value, isenv) {
      if (stage == 0) { gval[name] = value; return }
      sval[stage, name] = value
      if (isenv) eval_[stage, name] = 1
    }

    function instruction(line, text, body,   kw, args, n, w, i, from, f, s, rest, img, name, parent, k, v, pos, flagtok, p, t, saved, kp) {
      if (!match(text, /^[A-Za-z]+/)) { problem(line, "cannot read this line as an instruction"); return }
      kw = toupper(substr(text, RSTART, RLENGTH)); args = trim(substr(text, RSTART + RLENGTH))
      if (!(kw in known)) { problem(line, "unknown instruction " kw); return }
      if (stage == 0 && kw != "FROM" && kw != "ARG") { problem(line, kw " before the first FROM"); return }

      if (kw == "FROM") {
        n = words(args, w); i = 1
        while (i <= n && w[i] ~ /^--/) i++
        img = w[i]; name = ""
        if (i + 2 <= n && toupper(w[i + 1]) == "AS") name = tolower(w[i + 2])
        saved = stage; stage = 0; img = subst(img); stage = saved + 1
        from_line[stage] = line; stage_name[stage] = name
        parent = (tolower(img) in stage_index) ? stage_index[tolower(img)] : 0
        if (parent) {
          base[stage] = base[parent]; user[stage] = user[parent]; user_line[stage] = user_line[parent]
          hc[stage] = hc[parent]
          for (k in eval_) { split(k, kp, SUBSEP); if (kp[1] == parent) { sval[stage, kp[2]] = sval[k]; eval_[stage, kp[2]] = 1 } }
        } else {
          base[stage] = img; user[stage] = ""; hc[stage] = 0
        }
        if (name != "") stage_index[name] = stage
        return
      }
      if (kw == "ARG") {
        n = words(args, w)
        for (i = 1; i <= n; i++) {
          pos = index(w[i], "=")
          if (pos) setvar(substr(w[i], 1, pos - 1), subst(substr(w[i], pos + 1)), 0)
          else if (stage > 0 && (w[i] in gval)) setvar(w[i], gval[w[i]], 0)
        }
        return
      }
      if (kw == "ENV") {
        n = words(args, w)
        if (n >= 1 && index(w[1], "=") == 0) {
          v = ""; for (i = 2; i <= n; i++) v = v (i > 2 ? " " : "") w[i]
          setvar(w[1], subst(v), 1)
        } else {
          for (i = 1; i <= n; i++) { pos = index(w[i], "="); if (pos) setvar(substr(w[i], 1, pos - 1), subst(substr(w[i], pos + 1)), 1) }
        }
        return
      }
      if (kw == "USER") {
        n = words(args, w); user[stage] = subst(w[1]); user_line[stage] = line
        return
      }
      if (kw == "HEALTHCHECK") {
        n = words(args, w); hc[stage] = (toupper(w[1]) == "NONE") ? -1 : 1; hc_line[stage] = line
        return
      }
      if (kw == "COPY" || kw == "ADD") {
        from = ""; rest = args
        while (match(rest, /^--[^ ]+/)) {
          flagtok = substr(rest, 1, RLENGTH); rest = trim(substr(rest, RLENGTH + 1))
          if (flagtok ~ /^--from=/) from = substr(flagtok, 8)
        }
        n = (rest ~ /^\[/) ? jsonwords(rest, w) : words(rest, w)
        if (n < 2) { problem(line, kw " needs a source and a destination"); return }
        if (from != "") {
          gsub(/^["\047]|["\047]$/, "", from); f = tolower(subst(from))
          if (index(f, "\001")) return
          if (f ~ /^[0-9]+$/) {
            if (f + 1 >= stage) problem(line, kw " --from=" from ": stage " f " is not an earlier build stage")
          } else if (f in stage_index) {
            if (stage_index[f] >= stage) problem(line, kw " --from=" from ": a stage cannot copy from itself")
          } else if (f !~ /[\/:@.]/) {
            s = ""; for (k = 1; k < stage; k++) if (stage_name[k] != "") s = s (s == "" ? "" : ", ") stage_name[k]
            problem(line, kw " --from=" from ": no earlier build stage is named " from " (stages: " (s == "" ? "none named" : s) ")")
          }
          return
        }
        for (i = 1; i < n; i++) {
          if (w[i] ~ /^<</) continue
          s = subst(w[i])
          if (index(s, "\001") || index(s, "$")) continue
          if (kw == "ADD" && (s ~ /^(https?|git|ssh):\/\// || s ~ /^git@/)) continue
          printf "C\t%d\t%s\t%s\t%s\n", line, kw, s, subst(w[n])
        }
        return
      }
      if (kw == "RUN") {
        printf "N\t%d\n", line
        t = " " args " " body
        while (match(t, /[ ="\047;(&|]((\.\/)?(src|scripts|tests)\/[^ "\047;&|)<>]*)/)) {
          p = substr(t, RSTART + 1, RLENGTH - 1); t = substr(t, RSTART + RLENGTH)
          if (index(p, "$")) continue
          printf "R\t%d\t%s\n", line, p
        }
        return
      }
    }

    BEGIN {
      split("FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG ONBUILD STOPSIGNAL HEALTHCHECK SHELL", kws, " ")
      for (i in kws) known[kws[i]] = 1
      stage = 0; cur = ""; hcount = 0
    }
    {
      raw = $0; sub(/\r$/, "", raw)
      if (hcount > 0) {
        end = raw; if (hdash[hnext]) sub(/^\t+/, "", end)
        if (end == hword[hnext]) {
          if (++hnext > hcount) { hcount = 0; instruction(start, cur, body); cur = ""; body = "" }
        } else { gsub(/\t/, " ", raw); body = body " " raw }
        next
      }
      gsub(/\t/, " ", raw)
      if (raw ~ /^[ ]*#/) next
      if (cur == "") {
        if (raw ~ /^[ ]*$/) next
        start = NR; cur = trim(raw)
      } else {
        if (raw ~ /^[ ]*$/) next
        cur = cur " " trim(raw)
      }
      if (cur ~ /\\[ ]*$/) { sub(/\\[ ]*$/, "", cur); next }
      # Heredocs (<<EOF, <<-EOF, <<"EOF"; several on one line): their lines belong to the instruction.
      if (cur ~ /^[ ]*([Rr][Uu][Nn]|[Cc][Oo][Pp][Yy]|[Aa][Dd][Dd])[ ]/) {
        hcount = 0; rest = cur
        while (match(rest, /<<-?["\047]?[A-Za-z_][A-Za-z0-9_]*["\047]?/)) {
          word = substr(rest, RSTART + 2, RLENGTH - 2); rest = substr(rest, RSTART + RLENGTH)
          hdash[++hcount] = (substr(word, 1, 1) == "-"); sub(/^-/, "", word); gsub(/["\047]/, "", word)
          hword[hcount] = word
        }
        if (hcount > 0) { hnext = 1; body = ""; next }
      }
      instruction(start, cur, "")
      cur = ""
    }
    END {
      if (hcount > 0) problem(start, "heredoc <<" hword[hnext] " is never closed")
      else if (cur != "") instruction(start, cur, "")
      if (stage == 0) { problem(1, "no FROM instruction"); exit }
      f = stage
      img = base[f]
      if (!index(img, "\001") && tolower(img) ~ /(^|\/)sdk(:|@|$)/)
        problem(from_line[f], "the final stage is FROM an SDK image (" img "); ship a runtime image (runtime-deps for a Native AOT binary)")
      if (user[f] == "") problem(from_line[f], "the final stage sets no USER: the container would run as its base image user, root unless the base says otherwise")
      else if (isroot(user[f])) problem(user_line[f], "the final stage runs as root (USER " user[f] ")")
      if (hc[f] == 0) problem(from_line[f], "the final stage has no HEALTHCHECK")
      else if (hc[f] < 0) problem(hc_line[f], "HEALTHCHECK NONE: the final stage has no health check")
    }
  ' "$dockerfile"
}

if ! records=$(parse); then
  echo "lint-dockerfile: could not read $label (the awk reader failed)" >&2
  exit 2
fi
copy_line=()
copy_src=()
copy_dest=()
run_lines=()
while IFS=$'\t' read -r kind line a b c; do
  case "$kind" in
    P) problem "$line" "$a" ;;
    C) check_path "$line" "$a source" "$b"; copy_line+=("$line"); copy_src+=("$b"); copy_dest+=("$c") ;;
    R) check_path "$line" "RUN path" "$a" ;;
    N) run_lines+=("$line") ;;
  esac
done <<< "$records"

# --- the restore layer: project files copied on their own must bring the projects they reference ------------------
# A Dockerfile that copies the .csproj files first (so `dotnet restore` is cached apart from the sources) breaks when
# a new ProjectReference is added and its project file is not copied too; nothing fails until an image is built,
# which CI here never does. Checked for copies that keep the repository layout (COPY src/A/A.csproj src/A/).

# context_rel PATH: PATH relative to the context, without ./, leading or trailing slashes.
context_rel() {
  local p=$1
  p=${p#./}
  while [ "${p:0:1}" = / ]; do p=${p#/}; done
  while [ "${#p}" -gt 1 ] && [ "${p: -1}" = / ]; do p=${p%/}; done
  [ -n "$p" ] || p=.
  printf '%s' "$p"
}
# mirrored SOURCE DEST: the copy puts SOURCE at the same relative path in the image (DEST relative to WORKDIR).
mirrored() {
  local src dest dir
  src=$(context_rel "$1")
  case "$2" in /*) return 1 ;; esac
  dest=$(context_rel "$2")
  dir=$(dirname "$src")
  [ "$dest" = "$src" ] || [ "$dest" = "$dir" ]
}
# covered PATH LINE: a mirrored copy before LINE brings PATH in (the file itself, a directory above it, or a glob).
covered() {
  local path=$1 before=$2 j src
  for j in "${!copy_line[@]}"; do
    [ "${copy_line[j]}" -lt "$before" ] || continue
    mirrored "${copy_src[j]}" "${copy_dest[j]}" || continue
    src=$(context_rel "${copy_src[j]}")
    # shellcheck disable=SC2053  # a glob source matches as a pattern on purpose
    if [ "$src" = . ] || [ "$path" = "$src" ] || [[ $path == "$src"/* ]] || [[ $path == $src ]]; then return 0; fi
  done
  return 1
}
for i in "${!copy_line[@]}"; do
  src=$(context_rel "${copy_src[i]}")
  if [[ $src != *.csproj ]] || [[ $src == *[*?[]* ]] || [ ! -f "$context/$src" ]; then continue; fi
  mirrored "$src" "${copy_dest[i]}" || continue
  next_run=""
  for r in "${run_lines[@]}"; do
    if [ "$r" -gt "${copy_line[i]}" ]; then next_run=$r; break; fi
  done
  [ -n "$next_run" ] || continue
  while IFS= read -r ref; do
    [ -n "$ref" ] || continue
    ref=${ref//\\//}
    target=$(realpath -m --relative-to="$context" "$context/$(dirname "$src")/$ref")
    if [ ! -f "$context/$target" ]; then
      problem "${copy_line[i]}" "COPY source '$src' references $ref, which does not exist in the build context"
    elif ! covered "$target" "$next_run"; then
      problem "${copy_line[i]}" "COPY source '$src' references $target, which no COPY before the RUN on line $next_run brings in, so dotnet restore there fails: add COPY $target $(dirname "$target")/"
    fi
  done < <(grep -o '<ProjectReference[^>]*Include="[^"]*"' "$context/$src" | sed 's/.*Include="\([^"]*\)"/\1/')
done

if [ "${#problems[@]}" -gt 0 ]; then
  printf '%s\n' "${problems[@]}" | sort -t $'\t' -k1,1n -s | while IFS=$'\t' read -r line message; do
    echo "$label:$line: $message"
  done
  exit 1
fi
[ "$failed" = 0 ] || exit 1
echo "lint-dockerfile: $label passes (context $context)" >&2
