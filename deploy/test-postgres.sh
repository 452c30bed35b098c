# Sourced by run-tests.sh: a local PostgreSQL for the production-journal tests.
# Starts the Debian cluster when it is down, creates role and database rramlab_test once,
# and exports TEST_RRAMLAB_POSTGRES_URL / _USER / _PASSWORD for the tests.
pg_setup() {
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing postgresql for the journal tests ..."
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      echo "the journal tests need PostgreSQL: apt-get install postgresql (as root), then run again" >&2
      return 1
    fi
  fi
  local cluster version
  cluster=$(pg_lsclusters -h | head -n 1)
  if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    pg_createcluster "$version" main >/dev/null
    cluster=$(pg_lsclusters -h | head -n 1)
  fi
  set -- $cluster
  local ver=$1 name=$2 port=$3 status=$4
  if [ "$status" != online ]; then
    pg_ctlcluster "$ver" "$name" start
  fi
  su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='rramlab_test'\"" | grep -q 1 ||
    su postgres -c "psql -q -p $port -c \"CREATE ROLE rramlab_test LOGIN PASSWORD 'rramlab_test'\""
  su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname='rramlab_test'\"" | grep -q 1 ||
    su postgres -c "createdb -p $port -O rramlab_test rramlab_test"
  export TEST_RRAMLAB_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/rramlab_test"
  export TEST_RRAMLAB_POSTGRES_USER=rramlab_test
  export TEST_RRAMLAB_POSTGRES_PASSWORD=rramlab_test
}
pg_setup
