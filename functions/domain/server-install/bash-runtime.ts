/**
 * The fixed part of the Linux instance script: the functions the generated lifecycle steps call. Each status line
 * `[stepdeploy] event=<Event> status=<Succeeded|Failed|Skipped> ...` is what the workflow reads back from the
 * command's output (parse.ts); script errors use the agent's codes and messages (codedeploy-spec §3.9, §4.1:
 * ScriptMissing, ScriptFailed "failed with exit code N", ScriptTimedOut "failed to complete in N seconds").
 * Written raw (bash backslashes stay); `\${` is how a bash `${` is spelled inside the template.
 */
export const BASH_RUNTIME = String.raw`GROUP_DIR="$ROOT/$DEPLOYMENT_GROUP_ID"
DEPLOYMENT_DIR="$GROUP_DIR/$DEPLOYMENT_ID"
ARCHIVE="$DEPLOYMENT_DIR/deployment-archive"
INSTRUCTIONS="$ROOT/deployment-instructions"
LAST_FILE="$INSTRUCTIONS/\${DEPLOYMENT_GROUP_ID}_last_successful_install"
CLEANUP_FILE="$INSTRUCTIONS/\${DEPLOYMENT_GROUP_ID}-cleanup"
LOG="$DEPLOYMENT_DIR/logs/scripts.log"
mkdir -p "$DEPLOYMENT_DIR/logs" "$INSTRUCTIONS" || { echo "[stepdeploy] cannot create the deployment root $ROOT"; exit 1; }
PREVIOUS=""
if [ -f "$LAST_FILE" ]; then PREVIOUS=$(cat "$LAST_FILE"); fi

sd_log() { TZ=UTC printf '%(%Y-%m-%dT%H:%M:%SZ)T %s\n' -1 "$*" >>"$LOG"; }
sd_status() {
  printf '[stepdeploy] event=%s status=%s%s\n' "$1" "$2" "\${3:+ $3}"
  sd_log "$1 $2 \${3:-}"
}
sd_fail() {
  sd_status "$1" Failed "code=$2 message=$3"
  exit 1
}
# sd_run <event> <base> <location> <timeout seconds> <runas>: one hook script, from <base>, as the agent runs it.
sd_run() {
  local event=$1 base=$2 location=$3 seconds=$4 runas=$5
  local path="$base/$location"
  if [ ! -f "$path" ]; then sd_fail "$event" ScriptMissing "Script does not exist at specified location: $path"; fi
  if [ ! -x "$path" ]; then chmod +x "$path" || sd_fail "$event" ScriptNotExecutable "Script at specified location: $path is not executable"; fi
  sd_log "$event running $location (timeout $seconds s\${runas:+, as $runas})"
  local rc
  if [ -n "$runas" ]; then
    (cd "$base" && timeout -k 5 "$seconds" su -s /bin/bash "$runas" -c "$(printf '%q' "$path")") 2>&1 | tee -a "$LOG"
    rc=\${PIPESTATUS[0]}
  else
    (cd "$base" && timeout -k 5 "$seconds" "$path") 2>&1 | tee -a "$LOG"
    rc=\${PIPESTATUS[0]}
  fi
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then sd_fail "$event" ScriptTimedOut "Script at specified location: $location failed to complete in $seconds seconds"; fi
  if [ "$rc" -ne 0 ]; then sd_fail "$event" ScriptFailed "Script at specified location: $location failed with exit code $rc"; fi
}
# sd_previous <event>: the event's scripts from the last successful revision on this instance, if there is one.
sd_previous() {
  export LIFECYCLE_EVENT=$1
  if [ -z "$PREVIOUS" ] || [ ! -f "$PREVIOUS/stepdeploy-hooks.sh" ]; then
    sd_status "$1" Skipped "reason=no-previous-revision"
    return 0
  fi
  . "$PREVIOUS/stepdeploy-hooks.sh"
  # A revision installed before its allow-traffic hooks were saved has none to run.
  if declare -F "sd_previous_$1" >/dev/null; then "sd_previous_$1"; fi
  sd_status "$1" Succeeded "revision=\${PREVIOUS##*/}"
}
# sd_check_etag <file>: a single-part ETag is the MD5 of the object; multipart ETags (with '-') are checked by S3's If-Match only.
sd_check_etag() {
  local etag=\${BUNDLE_ETAG//\"/}
  case "$etag" in *-*) return 0 ;; esac
  local sum
  sum=$(md5sum "$1" | cut -d' ' -f1)
  [ "$sum" = "$etag" ] || sd_fail DownloadBundle UnknownError "the bundle's MD5 $sum does not match its ETag $etag"
}
# sd_each_file <source>: the bundle files under a files source, relative, NUL-separated (a file source is one file).
sd_each_file() {
  local src="$ARCHIVE/\${1#/}"
  if [ -d "$src" ]; then
    (cd "$src" && find . -mindepth 1 \( -type f -o -type l \) -print0)
  elif [ -e "$src" ]; then
    printf '%s\0' "./$(basename "$src")"
  else
    sd_fail Install UnknownError "files: source $1 is not in the bundle"
  fi
}
sd_source_path() { if [ -d "$ARCHIVE/\${1#/}" ]; then printf '%s/%s' "$ARCHIVE/\${1#/}" "\${2#./}"; else printf '%s' "$ARCHIVE/\${1#/}"; fi; }
# sd_conflicts <source> <destination>: with DISALLOW, fail before copying anything if a file is already there.
sd_conflicts() {
  local rel target
  while IFS= read -r -d '' rel; do
    target="$2/\${rel#./}"
    if [ -e "$target" ] || [ -L "$target" ]; then
      sd_fail Install UnknownError "The deployment failed because a specified file already exists at this location: $target"
    fi
  done < <(sd_each_file "$1")
}
# sd_copy <source> <destination> <DISALLOW|OVERWRITE|RETAIN>
sd_copy() {
  local rel target
  while IFS= read -r -d '' rel; do
    target="$2/\${rel#./}"
    if [ -e "$target" ] || [ -L "$target" ]; then
      if [ "$3" = RETAIN ]; then sd_log "Install kept $target (RETAIN)"; continue; fi
      rm -rf -- "$target"
    fi
    mkdir -p "$(dirname "$target")" || sd_fail Install UnknownError "cannot create $(dirname "$target")"
    cp -P --preserve=mode,timestamps "$(sd_source_path "$1" "$rel")" "$target" || sd_fail Install UnknownError "cannot copy to $target"
    printf '%s\n' "$target" >>"$CLEANUP_FILE"
  done < <(sd_each_file "$1")
}
# sd_cleanup: remove what the most recent install on this instance copied (the agent's cleanup file), then start a new list.
sd_cleanup() {
  if [ -f "$CLEANUP_FILE" ]; then
    local f
    while IFS= read -r f; do if [ -f "$f" ] || [ -L "$f" ]; then rm -f -- "$f"; fi; done <"$CLEANUP_FILE"
  fi
  : >"$CLEANUP_FILE"
}
# sd_permit <path> <owner> <group> <mode> <acl...>: one object of a permissions entry.
sd_permit() {
  local path=$1 owner=$2 group=$3 mode=$4
  shift 4
  if [ -n "$owner" ]; then chown -h "$owner" "$path" || sd_fail Install UnknownError "permissions: cannot chown $owner $path"; fi
  if [ -n "$group" ]; then chgrp -h "$group" "$path" || sd_fail Install UnknownError "permissions: cannot chgrp $group $path"; fi
  if [ -n "$mode" ]; then chmod "$mode" "$path" || sd_fail Install UnknownError "permissions: cannot chmod $mode $path"; fi
  local acl
  for acl in "$@"; do setfacl -m "$acl" "$path" || sd_fail Install UnknownError "permissions: cannot set ACL $acl on $path"; done
}
# sd_finish: this revision is now the instance's last successful install; keep the newest revisions like the agent.
sd_finish() {
  printf '%s\n' "$DEPLOYMENT_DIR" >"$LAST_FILE.tmp" && mv "$LAST_FILE.tmp" "$LAST_FILE"
  local old
  while IFS= read -r old; do
    if [ "$old" != "$DEPLOYMENT_DIR" ]; then rm -rf -- "$old"; fi
  done < <(ls -1dt "$GROUP_DIR"/*/ 2>/dev/null | sed 's:/*$::' | tail -n +$((KEEP_REVISIONS + 1)))
  echo "[stepdeploy] revision=$DEPLOYMENT_ID recorded as the last successful install"
}
`.replaceAll("\\${", "${");
