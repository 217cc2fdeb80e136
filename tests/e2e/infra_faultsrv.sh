#!/bin/bash
# infra_faultsrv.sh - the fault HTTP server does each fault it promises.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/faultsrv.sh"
need curl cmp

doc=$(mk_temp doc)
head -c 5000 /dev/urandom >"$doc/a.bin"
head -c 4000 /dev/urandom >"$doc/drip.bin"
faultsrv_start "$doc"
out=$(mk_temp out)

# get PATH [CURL-ARGS...] - fetch into $out/body and $out/head; sets rc, code.
get() {
	local path=$1
	shift
	rm -f "$out/body" "$out/head"
	: >"$out/body"
	code=$(curl -sS --path-as-is -D "$out/head" -o "$out/body" -w '%{http_code}' "$@" \
		"$FAULT_URL$path" 2>"$out/err")
	rc=$?
}

# hdr NAME - a header of the last response (first one, value only).
hdr() {
	grep -i "^$1:" "$out/head" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'
}

# send_raw_all BYTES - write raw bytes (printf %b escapes), print the whole answer.
send_raw_all() {
	(
		exec 3<>"/dev/tcp/127.0.0.1/$FAULT_PORT" || exit 1
		printf '%b' "$1" >&3
		cat <&3
	) 2>/dev/null
}

# send_raw BYTES - the same, print the status line only.
send_raw() {
	send_raw_all "$1" | head -n 1 | tr -d '\r'
}

size() {
	wc -c <"$1" | tr -d ' '
}

# /ok/: full body, Range, ETag, Last-Modified, If-Range, HEAD
get /ok/a.bin
is "$code" 200 "/ok/ answers 200"
check "/ok/ body is the file" cmp "$out/body" "$doc/a.bin"
etag=$(hdr ETag)
lastmod=$(hdr Last-Modified)
like "$etag" '^"[0-9a-f]+-[0-9a-f]+"$' "/ok/ sends a strong ETag"
like "$lastmod" 'GMT$' "/ok/ sends Last-Modified"
is "$(hdr Accept-Ranges)" bytes "/ok/ sends Accept-Ranges: bytes"

get /ok/a.bin -r 1000-1999
is "$code" 206 "Range gives 206"
is "$(hdr Content-Range)" "bytes 1000-1999/5000" "Content-Range is right"
tail -c +1001 "$doc/a.bin" | head -c 1000 >"$out/want"
check "206 body is bytes 1000-1999" cmp "$out/body" "$out/want"

get /ok/a.bin -H 'Range: bytes=-100'
tail -c 100 "$doc/a.bin" >"$out/want"
is "$code" 206 "suffix range gives 206"
check "suffix range body is the last 100 bytes" cmp "$out/body" "$out/want"

get /ok/a.bin -H 'Range: bytes=4000-'
is "$(size "$out/body")/$(hdr Content-Range)" "1000/bytes 4000-4999/5000" "open range to the end"

get /ok/a.bin -r 6000-7000
is "$code" 416 "range past the end gives 416"
is "$(hdr Content-Range)" "bytes */5000" "416 names the size"

get /ok/a.bin -r 1000-1999 -H "If-Range: $etag"
is "$code" 206 "If-Range with the current ETag gives 206"
get /ok/a.bin -r 1000-1999 -H "If-Range: $lastmod"
is "$code" 206 "If-Range with the current date gives 206"
get /ok/a.bin -r 1000-1999 -H 'If-Range: "stale"'
is "$code" 200 "If-Range mismatch gives 200"
check "If-Range mismatch sends the whole file" cmp "$out/body" "$doc/a.bin"

is "$(send_raw_all 'HEAD /ok/a.bin HTTP/1.1\r\n\r\n' | tr -d '\r' | sed -n -e 1p -e '/^Content-Length/p' -e '/^$/,$p' | tr '\n' '|')" \
	"HTTP/1.1 200 OK|Content-Length: 5000||" "HEAD: status and length, no body"

get /ok/missing.bin
is "$code" 404 "a missing file is 404"
get /ok/../../../etc/passwd
is "$code" 403 "a path with .. is refused"
get /count/ok/a.bin
check "/count/ is a no-op prefix" cmp "$out/body" "$doc/a.bin"

# /norange/
get /norange/a.bin -r 1000-1999
is "$code" 200 "/norange/ answers 200 to a Range request"
check "/norange/ sends from byte 0" cmp "$out/body" "$doc/a.bin"
is "$(hdr Accept-Ranges)" "" "/norange/ does not advertise ranges"

# /close/N/ and /closeonce/K/N/
get /close/1000/a.bin
is "$rc/$(size "$out/body")" "18/1000" "/close/1000/ closes after exactly 1000 bytes (curl: partial file)"
is "$(hdr Content-Length)" 5000 "/close/ still announces the full length"
get /close/1000/a.bin -r 2000-
is "$(size "$out/body")" 1000 "/close/ counts bytes of a 206 body"
tail -c +2001 "$doc/a.bin" | head -c 1000 >"$out/want"
check "/close/ on a range sends the right 1000 bytes" cmp "$out/body" "$out/want"
get /close/1000/a.bin
is "$(size "$out/body")" 1000 "/close/ closes every request"
for i in 1 2 3; do
	get /closeonce/2/1000/a.bin
	sizes="${sizes:-}$(size "$out/body") "
done
is "$sizes" "1000 1000 5000 " "/closeonce/2/1000/ closes the first two requests only"

# /stall/MS/AT/, /drip/BPS/, /slowstart/MS/ (lower bounds: the fault happened)
t=$(curl -sS -o "$out/body" -w '%{time_total}' "$FAULT_URL/stall/1500/1000/a.bin")
check "/stall/ body is complete" cmp "$out/body" "$doc/a.bin"
ok "$(awk -v t="$t" 'BEGIN { print (t >= 1.4) ? 0 : 1 }')" "/stall/1500/1000/ stalls (took ${t}s)"
t=$(curl -sS -o "$out/body" -w '%{time_total}' "$FAULT_URL/drip/2000/drip.bin")
check "/drip/ body is complete" cmp "$out/body" "$doc/drip.bin"
ok "$(awk -v t="$t" 'BEGIN { print (t >= 1.5) ? 0 : 1 }')" "/drip/2000/ sends 4000 bytes in ~2s (took ${t}s)"
t=$(curl -sS -o "$out/body" -w '%{time_starttransfer}' "$FAULT_URL/slowstart/1000/a.bin")
ok "$(awk -v t="$t" 'BEGIN { print (t >= 0.9) ? 0 : 1 }')" "/slowstart/1000/ waits before the headers (${t}s)"
check "/slowstart/ body is complete" cmp "$out/body" "$doc/a.bin"

# /status/, redirects, loop, other schemes
get /status/404
is "$code" 404 "/status/404"
get /status/500
is "$code" 500 "/status/500"
get /status/503
is "$code" 503 "/status/503"
redirs=$(curl -sS -L -o "$out/body" -w '%{http_code} %{num_redirects}' "$FAULT_URL/redirect/3/ok/a.bin")
is "$redirs" "200 3" "/redirect/3/ follows three 302s"
check "/redirect/ ends at the file" cmp "$out/body" "$doc/a.bin"
for c in 301 302 307 308; do
	get /redirect$c/2/ok/a.bin
	is "$code $(hdr Location)" "$c $FAULT_URL/redirect$c/1/ok/a.bin" "/redirect$c/ answers $c to the next hop"
done
get /redirect/1/status/404 -L
is "$code" 404 "a redirect can end at a fault"
get /loop -L --max-redirs 20
is "$rc" 47 "/loop loops (curl: too many redirects)"
get /tofile
is "$code $(hdr Location)" "302 file:///etc/passwd" "/tofile redirects to file://"
get /toftp
is "$code $(hdr Location)" "302 ftp://127.0.0.1/x" "/toftp redirects to ftp://"

# /ctype/, /lie/
get /ctype/audio%2Fmpeg/a.bin
is "$(hdr Content-Type)" "audio/mpeg" "/ctype/ sets the Content-Type"
get /ctype/text%2Fhtml%3B%20charset%3Dutf-8/a.bin
is "$(hdr Content-Type)" "text/html; charset=utf-8" "/ctype/ decodes the type"
get /lie/a.bin
is "$(hdr Content-Length)/$(size "$out/body")/$rc" "70536/5000/18" "/lie/ claims more than it sends, then closes"

# /chunked/, /nolength/
get /chunked/a.bin
is "$rc/$(hdr Transfer-Encoding)/$(hdr Content-Length)" "0/chunked/" "/chunked/ is chunked without a length"
check "/chunked/ body decodes to the file" cmp "$out/body" "$doc/a.bin"
get /chunked/close/3000/a.bin
is "$rc/$(size "$out/body")" "18/3000" "/chunked/close/ stops mid-body without the last chunk"
get /nolength/a.bin
is "$rc/$(hdr Content-Length)/$(hdr Transfer-Encoding)" "0//" "/nolength/ sends no length"
check "/nolength/ body is the file" cmp "$out/body" "$doc/a.bin"
get /nolength/a.bin -r 100-199
is "$code/$(size "$out/body")" "206/100" "/nolength/ still honours Range"

# /changing/: contents and ETag flip between requests, If-Range catches it
get /changing/a.bin
e1=$(hdr ETag)
check "/changing/ first answer is the file" cmp "$out/body" "$doc/a.bin"
get /changing/a.bin
e2=$(hdr ETag)
isnt "$e2" "$e1" "/changing/ second answer has another ETag"
is "$(cmp -l "$out/body" "$doc/a.bin" | wc -l | tr -d ' ')" 5000 "/changing/ second answer differs in every byte"
get /changing/a.bin -r 100-199 -H "If-Range: $e2"
is "$code" 200 "/changing/ If-Range with the old ETag gives 200"
check "/changing/ third answer is the file again" cmp "$out/body" "$doc/a.bin"

# /etag/: conditional GET
get /etag/a.bin
e=$(hdr ETag)
lm=$(hdr Last-Modified)
get /etag/a.bin -H "If-None-Match: $e"
is "$code/$(size "$out/body")" "304/0" "/etag/ If-None-Match gives 304"
get /etag/a.bin -H 'If-None-Match: "other"'
is "$code" 200 "/etag/ If-None-Match mismatch gives 200"
get /etag/a.bin -H "If-Modified-Since: $lm"
is "$code" 304 "/etag/ If-Modified-Since gives 304"
get /etag/a.bin -H "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT"
is "$code" 200 "/etag/ older If-Modified-Since gives 200"

# the request log
: >"$FAULT_LOG"
get /ok/a.bin -r 10-19 -H "If-Range: $etag" -H 'If-None-Match: "x"'
line=$(tail -n 1 "$FAULT_LOG")
is "$(printf '%s' "$line" | cut -f2-5,8)" "$(printf 'GET\t/ok/a.bin\tbytes=10-19\t%s\t206' "$etag")" \
	"request log records method, path, Range, If-Range, status"
is "$(printf '%s' "$line" | cut -f6)" '"x"' "request log records If-None-Match"
get /ok/a.bin
is "$(tail -n 1 "$FAULT_LOG" | cut -f4)" "-" "request log writes - for no Range"
is "$(faultsrv_count /ok/a.bin)" 2 "faultsrv_count counts requests by path"

# garbage does not kill it
is "$(send_raw 'GARBAGE\x00\x01\xff\r\n\r\n')" "HTTP/1.1 400 Bad Request" "garbage gets 400"
is "$(send_raw 'GET nothing HTTP/1.1\r\n\r\n')" "HTTP/1.1 400 Bad Request" "a target without / gets 400"
is "$(send_raw 'GET / HTTP/9\r\n\r\n')" "HTTP/1.1 400 Bad Request" "a bad version gets 400"
is "$(send_raw 'POST /ok/a.bin HTTP/1.1\r\n\r\n')" "HTTP/1.1 405 Method Not Allowed" "POST gets 405"
is "$(send_raw 'GET /ok/a.bin HTTP/1.1\r\nno colon here\r\n\r\n')" "HTTP/1.1 400 Bad Request" "a header without colon gets 400"
is "$(send_raw "GET /ok/a.bin HTTP/1.1\r\nX: $(head -c 20000 /dev/zero | tr '\0' a)\r\n\r\n")" \
	"HTTP/1.1 431 Request Header Fields Too Large" "a huge head gets 431"
is "$(send_raw 'GET /ok/a.bin HTTP/1.1\r\nRange: bytes=zz-\r\n\r\n')" "HTTP/1.1 200 OK" "a bad Range is ignored"
is "$(send_raw 'GET /close/x/a.bin HTTP/1.1\r\n\r\n')" "HTTP/1.1 400 Bad Request" "a bad fault argument gets 400"
is "$(send_raw 'GET /ok/%zz HTTP/1.1\r\n\r\n')" "HTTP/1.1 400 Bad Request" "a bad escape gets 400"
(exec 3<>"/dev/tcp/127.0.0.1/$FAULT_PORT" && printf 'GET /ok/a.b' >&3) 2>/dev/null
head -c 3000 /dev/urandom >"$out/junk"
(exec 3<>"/dev/tcp/127.0.0.1/$FAULT_PORT" && cat "$out/junk" >&3) 2>/dev/null
for i in $(seq 1 60); do
	case $((i % 4)) in
	0) head -c $((RANDOM % 600 + 1)) /dev/urandom; printf '\r\n\r\n' ;;
	1) printf 'GET /%s HTTP/1.1\r\n' "$(head -c 40 /dev/urandom | tr -d '\0\r\n ')"
	   head -c $((RANDOM % 300)) /dev/urandom; printf '\r\n\r\n' ;;
	2) printf 'GET /ok/a.bin HTTP/1.1\r\nRange: bytes=%s\r\nIf-Range: %s\r\n\r\n' \
		"$(head -c 12 /dev/urandom | tr -dc '0-9,=-')" "$(head -c 20 /dev/urandom | tr -d '\0\r\n')" ;;
	3) printf 'GET /%s/%s/a.bin HTTP/1.1\r\n\r\n' \
		"$(printf 'close\nstall\ndrip\nctype\nredirect\nstatus\ncloseonce' | shuf -n 1)" \
		"$(head -c 6 /dev/urandom | tr -dc '0-9a-z%/')" ;;
	esac >"$out/junk"
	(exec 3<>"/dev/tcp/127.0.0.1/$FAULT_PORT" && cat "$out/junk" >&3 && timeout 5 cat <&3 >/dev/null) 2>/dev/null
done
get /ok/a.bin
is "$code" 200 "still serving after garbage and dropped connections"
check "the server process is alive" kill -0 "$FAULT_PID"

faultsrv_stop
is "$(cat "$FAULT_DIR/stderr")" "" "faultsrv wrote nothing to stderr (no sanitizer report)"

# --free-port gives a port nobody listens on
p=$("$FAULTSRV" --free-port)
like "$p" '^[0-9]+$' "--free-port prints a port number"

done_testing
