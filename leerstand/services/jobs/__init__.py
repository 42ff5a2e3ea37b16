"""Background jobs: work that can outgrow a web request (re-matching a large idea or a whole
town) runs in a worker process (``flask worker``) from a queue in PostgreSQL.

The queue is procrastinate's (its tables ``procrastinate_*``, applied by migration 0017 from the
installed package): ``SELECT … FOR UPDATE SKIP LOCKED`` hands each job to one worker, a job
deferred while no worker runs waits in the table, retries follow a backoff, and a job whose
worker died (no heartbeat for 30 s) is given back to the queue (``tasks.retry_stalled_jobs``,
every minute and at the worker's start). A job is deferred on the request's own connection and
transaction: the worker sees it only once the request committed, never before its data.

Modules: ``queue`` (the procrastinate app, ``defer``), ``tasks`` (the jobs the worker runs),
``runtime`` (the worker's database session and the retry policy), ``progress`` (each job's row
in ``job_progress``: what it works on, how far it got, its last error), ``overview`` (the
staff page's list)."""
