"""Django's PostgreSQL backend, with a time limit on every wait for the server.

connect_timeout bounds connecting and statement_timeout bounds a slow query, but neither helps
when the server or the network in between stops answering an open connection: psycopg would
wait for ever (until gunicorn kills the worker, dropping the request). Here each wait gives up
after DATABASE_TIMEOUT_SECONDS with an OperationalError, which the site turns into its 503 page,
and the connection is closed so that the next request connects afresh."""

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base


class TimedConnection(psycopg.Connection):
    def wait(self, gen, interval=0.1, timeout=None):
        try:
            return super().wait(
                gen, interval=interval, timeout=timeout or settings.DATABASE_TIMEOUT_SECONDS
            )
        except psycopg.OperationalError:
            # The protocol state is unknown after a timeout: never reuse this connection.
            self.pgconn.finish()
            raise


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # psycopg builds its own class; this subclass adds behaviour only, no state.
        connection.__class__ = TimedConnection
        return connection
