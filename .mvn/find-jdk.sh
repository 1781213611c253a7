# Finds a JDK 25 or newer for ./mvnw, ./annals and .ci/run, which source this file (POSIX sh).
# The machine's default java may be older: Maven itself must run on JDK 25, because
# .mvn/jvm.config passes it an option that older JVMs refuse.

# The major version of the java executable $1 (empty when it does not run).
annals_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}

# Prints the first of the given JDK homes that holds a java of version 25 or newer; fails when none does.
annals_first_jdk25() {
  for annals_candidate in "$@"; do
    if [ -n "$annals_candidate" ] && [ -x "$annals_candidate/bin/java" ] \
        && [ "$(annals_java_major "$annals_candidate/bin/java")" -ge 25 ] 2>/dev/null; then
      printf '%s\n' "$annals_candidate"
      return 0
    fi
  done
  return 1
}

# Prints a JDK 25 home: JAVA_HOME when it is one, else one installed in the usual places, else the
# default java's own; fails with a message that says what to do when there is none.
annals_jdk25_home() {
  annals_default_java="$(command -v java 2>/dev/null || true)"
  annals_default_home=""
  if [ -n "$annals_default_java" ]; then
    annals_default_home="$(dirname "$(dirname "$(readlink -f "$annals_default_java" 2>/dev/null || printf '%s' "$annals_default_java")")")"
  fi
  # globs below must expand even where the caller turned expansion off (./mvnw runs with set -f)
  case $- in *f*) annals_noglob=1; set +f ;; *) annals_noglob= ;; esac
  if annals_found="$(annals_first_jdk25 "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* \
      /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "${HOME:-}"/.sdkman/candidates/java/* /opt/java/* \
      "$annals_default_home")"; then
    annals_status=0
  else
    annals_status=1
  fi
  [ -z "$annals_noglob" ] || set -f
  if [ "$annals_status" -ne 0 ]; then
    {
      echo "Annals builds and runs with JDK 25 or newer, and none was found"
      echo "(JAVA_HOME=${JAVA_HOME:-<not set>}, default java: ${annals_default_java:-<none>})."
      echo "Install a JDK 25 (for example Temurin 25 from https://adoptium.net) and set JAVA_HOME to it."
    } >&2
    return 1
  fi
  if [ -n "${JAVA_HOME:-}" ] && [ "$JAVA_HOME" != "$annals_found" ]; then
    echo "JAVA_HOME ($JAVA_HOME) is not a JDK 25 or newer; using $annals_found" >&2
  fi
  printf '%s\n' "$annals_found"
}
