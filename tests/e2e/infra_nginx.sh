#!/bin/bash
# infra_nginx.sh - the private nginx serves Range, ETag/304, gzip, and rate-limited paths.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
need curl cmp gzip

doc=$(mk_temp doc)
head -c 1048576 /dev/urandom >"$doc/one.mp3"
head -c 5242880 /dev/urandom >"$doc/five.bin"
for i in $(seq 1 300); do
	echo "<item><title>Episode $i</title></item>"
done >"$doc/feed.xml"
NGINX_EXTRA_CONF='location = /moved { return 301 /one.mp3; }'
nginx_start "$doc"
out=$(mk_temp out)

# get PATH [CURL-ARGS...] - fetch into $out/body and $out/head; sets rc, code.
get() {
	local path=$1
	shift
	rm -f "$out/body" "$out/head"
	: >"$out/body"
	code=$(curl -sS -D "$out/head" -o "$out/body" -w '%{http_code}' "$@" "$NGINX_URL$path" \
		2>"$out/err")
	rc=$?
}

hdr() {
	grep -i "^$1:" "$out/head" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'
}

like "$NGINX_URL" '^http://127\.0\.0\.1:[0-9]+$' "NGINX_URL is loopback with a port"
is "$NGINX_PORT" "${NGINX_URL##*:}" "NGINX_PORT matches the URL"

get /one.mp3
is "$code" 200 "a static file answers 200"
check "the body is the file" cmp "$out/body" "$doc/one.mp3"
is "$(hdr Content-Type)" audio/mpeg "mp3 is audio/mpeg"
is "$(hdr Content-Encoding)" "" "mp3 is not gzipped"
etag=$(hdr ETag)
lm=$(hdr Last-Modified)
like "$etag" '^"[0-9a-f]+-[0-9a-f]+"$' "ETag is sent"
like "$lm" 'GMT$' "Last-Modified is sent"

get /one.mp3 -r 1000-1999
is "$code" 206 "Range gives 206"
is "$(hdr Content-Range)" "bytes 1000-1999/1048576" "Content-Range is right"
tail -c +1001 "$doc/one.mp3" | head -c 1000 >"$out/want"
check "206 body is bytes 1000-1999" cmp "$out/body" "$out/want"
get /one.mp3 -r 1000-1999 -H "If-Range: $etag"
is "$code" 206 "If-Range with the ETag gives 206"
get /one.mp3 -r 1000-1999 -H 'If-Range: "stale"'
is "$code" 200 "If-Range mismatch gives 200"

get /one.mp3 -H "If-None-Match: $etag"
is "$code" 304 "If-None-Match gives 304"
get /one.mp3 -H "If-Modified-Since: $lm"
is "$code" 304 "If-Modified-Since gives 304"

get /feed.xml -H 'Accept-Encoding: gzip'
is "$(hdr Content-Encoding)" gzip "XML is gzipped when asked"
gzip -dc <"$out/body" >"$out/plain" 2>/dev/null
check "the gzipped XML decodes to the file" cmp "$out/plain" "$doc/feed.xml"
get /feed.xml
is "$(hdr Content-Encoding)" "" "XML is plain when gzip is not asked for"
check "the plain XML is the file" cmp "$out/body" "$doc/feed.xml"

nginx_requests | grep -F '/one.mp3 "bytes=1000-1999"' >/dev/null
ok $? "the access log records the Range header"
get /moved
is "$code $(hdr Location)" "301 $NGINX_URL/one.mp3" "NGINX_EXTRA_CONF adds to the server block"
is "$(nginx_requests | grep -c __hark_nginx_id)" 0 "nginx_requests leaves out the start-up probe"

# nginx sends the first second's worth at once, then limit_rate per second, so
# 1 MiB at 256 KiB/s takes about 3 s and 5 MiB at 2 MiB/s about 1.5 s. These are
# lower bounds: they prove the limiter is on, not how fast anything is.
t=$(curl -sS -o "$out/body" -w '%{time_total}' "$NGINX_URL/slow256k/one.mp3")
check "/slow256k/ serves the same file" cmp "$out/body" "$doc/one.mp3"
ok "$(awk -v t="$t" 'BEGIN { print (t >= 2) ? 0 : 1 }')" "/slow256k/ is rate-limited (1 MiB took ${t}s)"
t=$(curl -sS -o "$out/body" -w '%{time_total}' "$NGINX_URL/slow/five.bin")
check "/slow/ serves the same file" cmp "$out/body" "$doc/five.bin"
ok "$(awk -v t="$t" 'BEGIN { print (t >= 1) ? 0 : 1 }')" "/slow/ is rate-limited (5 MiB took ${t}s)"
get /slow/one.mp3 -r 0-99
is "$code" 206 "/slow/ honours Range too"

pid=$NGINX_PID
nginx_stop
ok "$(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0)" "nginx_stop stops the process"

done_testing
