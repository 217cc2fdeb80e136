#!/bin/bash
# tests/lib/nginx.sh - a private nginx on loopback, standing for podcast hosts and CDNs.
#
#     . "$top_srcdir/tests/lib/common.sh"
#     . "$top_srcdir/tests/lib/nginx.sh"
#     nginx_start DOCROOT     exports NGINX_PORT, NGINX_URL, NGINX_PID, NGINX_ACCESS_LOG
#     curl "$NGINX_URL/ep.mp3"            static file: Range, ETag, Last-Modified
#     curl "$NGINX_URL/slow/ep.mp3"       the same file at 2 MB/s (limit_rate 2m)
#     curl "$NGINX_URL/slow256k/ep.mp3"   at 256 KB/s
#     nginx_requests          the access log without the start-up probes
#     nginx_stop              (also done at exit)
#
# NGINX_EXTRA_CONF, if set before nginx_start, is pasted into the server block
# (e.g. 'location /moved/ { return 301 /one.mp3; }').
#
# gzip is on for XML, JSON and text. The config, pid file, logs and temp paths
# live in a temp dir; `daemon off; master_process off;` keeps one process that
# runs as the current user (root in CI, anyone else on a laptop). The access
# log has one line per request: method uri "Range" "If-Range" "If-None-Match"
# "If-Modified-Since" "Accept-Encoding" status body_bytes_sent.

NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}

# _nginx_conf DIR DOCROOT PORT TOKEN - write DIR/nginx.conf.
_nginx_conf() {
	local dir=$1 root=$2 port=$3 token=$4
	cat >"$dir/nginx.conf" <<EOC
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
	types {
		audio/mpeg mp3;
		audio/mp4 m4a;
		audio/ogg ogg opus;
		application/xml xml;
		application/rss+xml rss;
		application/atom+xml atom;
		text/x-opml opml;
		application/json json;
		text/plain txt;
		text/vtt vtt;
		application/x-subrip srt;
		text/html html;
		image/jpeg jpg jpeg;
		image/png png;
	}
	default_type application/octet-stream;
	log_format hark '\$request_method \$uri "\$http_range" "\$http_if_range" '
		'"\$http_if_none_match" "\$http_if_modified_since" "\$http_accept_encoding" '
		'\$status \$body_bytes_sent';
	access_log $dir/access.log hark;
	client_body_temp_path $dir/body;
	proxy_temp_path $dir/proxy;
	fastcgi_temp_path $dir/fastcgi;
	uwsgi_temp_path $dir/uwsgi;
	scgi_temp_path $dir/scgi;
	sendfile on;
	etag on;
	gzip on;
	gzip_min_length 64;
	gzip_vary on;
	gzip_types application/xml application/rss+xml application/atom+xml text/xml
		text/x-opml application/json text/plain text/vtt application/x-subrip;
	server {
		listen 127.0.0.1:$port;
		server_name localhost;
		root $root;
		location = /__hark_nginx_id { default_type text/plain; return 200 "$token"; }
		location /slow/ { alias $root/; limit_rate 2m; }
		location /slow256k/ { alias $root/; limit_rate 256k; }
		${NGINX_EXTRA_CONF:-}
	}
}
EOC
}

# _nginx_is_ours PORT TOKEN - the server on PORT is the one we started.
_nginx_is_ours() {
	local reply
	reply=$(
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf 'GET /__hark_nginx_id HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
		cat <&3
	) 2>/dev/null
	[[ $reply == *"$2"* ]]
}

# nginx_start DOCROOT - start nginx serving DOCROOT on a free loopback port.
nginx_start() {
	local root dir token try port
	root=$(cd "$1" && pwd) || bail "nginx_start: no docroot $1"
	if [ ! -x "$NGINX_BIN" ]; then
		skip_all "missing $NGINX_BIN (Debian package nginx-light)"
	fi
	dir=$(mk_temp nginx) || bail "nginx_start: mktemp failed"
	token="hark-nginx-$$-$RANDOM"
	for try in 1 2 3 4 5; do
		port=$(free_port) || bail "nginx_start: no free port"
		_nginx_conf "$dir" "$root" "$port" "$token"
		"$NGINX_BIN" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
			>"$dir/stdout" 2>"$dir/stderr" &
		NGINX_PID=$!
		wait_for 10 _nginx_settled "$port" "$token"
		if kill -0 "$NGINX_PID" 2>/dev/null && _nginx_is_ours "$port" "$token"; then
			NGINX_PORT=$port
			NGINX_URL=http://127.0.0.1:$port
			NGINX_DIR=$dir
			NGINX_ACCESS_LOG=$dir/access.log
			export NGINX_PORT NGINX_URL NGINX_PID NGINX_DIR NGINX_ACCESS_LOG
			at_exit nginx_stop
			_guard "kill $NGINX_PID"
			return 0
		fi
		kill "$NGINX_PID" 2>/dev/null
		wait "$NGINX_PID" 2>/dev/null
		diag "nginx try $try on port $port failed: $(tail -n 3 "$dir/error.log" "$dir/stderr" 2>/dev/null)"
	done
	NGINX_PID=""
	bail "nginx_start: nginx did not come up"
}

# _nginx_settled PORT TOKEN - ours answers, or ours died (no use waiting longer).
_nginx_settled() {
	! kill -0 "$NGINX_PID" 2>/dev/null || _nginx_is_ours "$1" "$2"
}

nginx_requests() {
	grep -v '/__hark_nginx_id ' "$NGINX_ACCESS_LOG"
}

nginx_stop() {
	if [ -n "${NGINX_PID:-}" ]; then
		kill "$NGINX_PID" 2>/dev/null
		wait "$NGINX_PID" 2>/dev/null
		NGINX_PID=""
	fi
	return 0
}
