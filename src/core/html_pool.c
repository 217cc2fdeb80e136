/* html_pool.c - descriptions converted to text on the other cores.
 *
 * Converting the descriptions of a big feed from HTML to text is about half
 * of its parse (libxml2's HTML parser, one fragment at a time, each on its
 * own). The pool hands fragments to worker threads, each with its own
 * converter, while the caller goes on reading the XML. When more than a few
 * wait, the caller converts the oldest one itself: every core stays busy
 * and the markup waiting in the queue stays small. html_pool_wait() hands
 * every result back, by the slot it was submitted with. */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "hark/html.h"

#define POOL_MAX_WORKERS 3
#define POOL_BACKLOG 16 /* waiting fragments before the caller helps */

struct job {
	size_t slot;
	char *raw; /* the fragment; NULL once taken */
	bool plain;
	char *out;
};

struct html_pool {
	pthread_mutex_t mu;
	pthread_cond_t work; /* a job is waiting, or stop */
	pthread_cond_t done; /* every job submitted has its result */
	struct job *jobs;    /* since the last html_pool_wait(), in order */
	size_t n, cap;
	size_t next;   /* first job nobody has taken */
	size_t n_done; /* jobs with their result */
	bool stop;
	int n_th, max_th;
	pthread_t th[POOL_MAX_WORKERS];
	struct html_conv *caller; /* the caller's converter, borrowed */
};

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static char *convert(struct html_conv *h, const char *raw, bool plain)
{
	size_t len = strlen(raw);

	return plain ? html_plain_text(raw, len) : html_conv_text(h, raw, len);
}

/* With p->mu held: take the oldest waiting job and convert it, unlocked
 * meanwhile (p->jobs may move: only the index is kept). */
static void run_one(struct html_pool *p, struct html_conv *h)
{
	size_t j = p->next++;
	char *raw = p->jobs[j].raw, *out;
	bool plain = p->jobs[j].plain;

	p->jobs[j].raw = NULL;
	pthread_mutex_unlock(&p->mu);
	out = convert(h, raw, plain);
	free(raw);
	pthread_mutex_lock(&p->mu);
	p->jobs[j].out = out;
	if (++p->n_done == p->n)
		pthread_cond_broadcast(&p->done);
}

static void *worker(void *arg)
{
	struct html_pool *p = arg;
	struct html_conv *h = html_conv_new(); /* NULL: one per fragment */

	/* libxml2's generic error handler is per thread: keep this one quiet
	 * as the feed parser keeps its own. */
	xmlSetGenericErrorFunc(NULL, silent);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->next == p->n && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->next == p->n)
			break;
		run_one(p, h);
	}
	pthread_mutex_unlock(&p->mu);
	html_conv_free(h);
	return NULL;
}

/* The CPUs this process may run on (its affinity mask: taskset, a
 * container's cpuset), else the ones online. */
static long usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	return sysconf(_SC_NPROCESSORS_ONLN);
}

struct html_pool *html_pool_new(struct html_conv *caller)
{
	long cpus = usable_cpus();
	struct html_pool *p;

	if (cpus < 2)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	xmlInitParser(); /* before any thread uses libxml2 */
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->max_th = cpus - 1 < POOL_MAX_WORKERS ? (int)cpus - 1 : POOL_MAX_WORKERS;
	p->caller = caller;
	return p;
}

bool html_pool_submit(struct html_pool *p, size_t slot, char *raw, bool plain)
{
	pthread_mutex_lock(&p->mu);
	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 256;
		struct job *nj = realloc(p->jobs, ncap * sizeof(*nj));

		if (nj == NULL) {
			pthread_mutex_unlock(&p->mu);
			return false;
		}
		p->jobs = nj;
		p->cap = ncap;
	}
	p->jobs[p->n++] = (struct job){slot, raw, plain, NULL};
	/* Threads start with the first fragments, so a feed with a handful of
	 * items starts none. */
	if (p->n_th < p->max_th && p->n - p->next > (size_t)p->n_th) {
		sigset_t all, old;

		/* with every signal blocked: they stay the caller's threads' */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		if (pthread_create(&p->th[p->n_th], NULL, worker, p) == 0)
			p->n_th++;
		else
			p->max_th = p->n_th;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (p->n - p->next > POOL_BACKLOG || p->n_th == 0)
		run_one(p, p->caller);
	else
		pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return true;
}

void html_pool_wait(struct html_pool *p, void (*take)(void *arg, size_t slot, char *text),
                    void *arg)
{
	size_t n;
	struct job *jobs;

	pthread_mutex_lock(&p->mu);
	while (p->next < p->n) /* help with what is left */
		run_one(p, p->caller);
	while (p->n_done < p->n)
		pthread_cond_wait(&p->done, &p->mu);
	jobs = p->jobs;
	n = p->n;
	p->jobs = NULL;
	p->n = p->cap = p->next = p->n_done = 0;
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < n; i++)
		take(arg, jobs[i].slot, jobs[i].out);
	free(jobs);
}

static void take_nothing(void *arg, size_t slot, char *text)
{
	(void)arg;
	(void)slot;
	free(text);
}

void html_pool_free(struct html_pool *p)
{
	if (p == NULL)
		return;
	html_pool_wait(p, take_nothing, NULL);
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->n_th; i++)
		pthread_join(p->th[i], NULL);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
