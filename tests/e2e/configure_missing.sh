#!/bin/bash
# configure_missing.sh - a missing library stops configure with one line that
# names the Debian package providing it.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
t() { # t COND-STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

# A pkg-config that pretends one module is not installed.
fake() { # fake MODULE
	cat > "$tmp/pkg-config" <<EOS
#!/bin/sh
for a in "\$@"; do case "\$a" in $1|$1\ *) exit 1 ;; esac; done
exec /usr/bin/pkg-config "\$@"
EOS
	chmod +x "$tmp/pkg-config"
}

check() { # check MODULE PACKAGE
	fake "$1"
	rm -rf "$tmp/b" && mkdir "$tmp/b"
	(cd "$tmp/b" && PKG_CONFIG="$tmp/pkg-config" "$top_srcdir/configure" -q >out 2>err)
	rc=$?
	line=$(grep 'error:' "$tmp/b/err")
	t $((rc == 0)) "configure fails without $1"
	[ "$(grep -c 'error:' "$tmp/b/err")" -eq 1 ] && printf '%s' "$line" | grep -q "$2"
	t $? "one error line naming $2"
	[ -n "$line" ] && echo "# $line"
}

check jansson libjansson-dev
check yajl libyajl-dev
check libmpg123 libmpg123-dev
check ncursesw libncurses-dev
echo "1..$n"
exit $failed
