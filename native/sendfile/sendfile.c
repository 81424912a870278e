/*
 * sendfile(2) of a file range into a TCP socket, driven by Node's event loop.
 *
 * Node copies every response body through user space into the socket; nginx
 * hands page-cache pages to the socket with sendfile. This addon does the
 * latter for one response body at a time: it sends what the socket takes at
 * once, then waits for writability with a uv_poll_t on a dup of the socket's
 * fd and continues from the loop. Nothing blocks: no thread sits in poll(2),
 * so slow clients cannot starve the libuv threadpool (SQLite and fs use it).
 *
 * TCP_CORK is set for the transfer, as nginx's `tcp_nopush` does: the kernel
 * then sends only full segments instead of one per sendfile call (Node sets
 * TCP_NODELAY), so the client handles fewer, larger packets; it is cleared
 * (which flushes the tail) when the transfer ends.
 *
 * The dup keeps the socket's file description usable even if Node closes
 * its own fd meanwhile; the caller aborts the transfer when the socket
 * closes. The caller owns the file's fd and keeps it open until the callback.
 *
 *   start(socketFd, fileFd, offset, length, callback) -> 0 (all sent), a negative
 *     errno (failed at once), or a transfer handle (callback(errno) comes later,
 *     0 for success)
 *   abort(handle)  ends a pending transfer; its callback gets -ECANCELED
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <unistd.h>
#include <uv.h>

/* Bytes sent per loop turn before yielding to other callbacks (the poll fires again at once). */
#define TURN_BUDGET (4 << 20)

typedef struct {
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context context;
  int socket_fd; /* our dup, closed when the transfer ends */
  int file_fd;   /* the caller's */
  off_t offset;
  int64_t remaining;
  int result; /* 0 or a negative errno, once finished */
  int finished;
} transfer_t;

#define CHECK(call)                                                                                \
  do {                                                                                             \
    if ((call) != napi_ok) {                                                                       \
      napi_throw_error(env, NULL, "vieter_sendfile: " #call " failed");                           \
      return NULL;                                                                                 \
    }                                                                                              \
  } while (0)

/* Sends until the socket is full or the turn's budget is spent: 1 all sent, 0 later, < 0 -errno. */
static int pump(int socket_fd, int file_fd, off_t* offset, int64_t* remaining) {
  int64_t budget = TURN_BUDGET;
  while (*remaining > 0) {
    size_t chunk = (size_t)(*remaining < budget ? *remaining : budget);
    ssize_t n = sendfile(socket_fd, file_fd, offset, chunk);
    if (n > 0) {
      *remaining -= n;
      budget -= n;
      if (budget <= 0 && *remaining > 0) return 0;
      continue;
    }
    if (n == 0) return -EIO; /* the file is shorter than the range asked for */
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return 0;
    return -errno;
  }
  return 1;
}

/* Corks or uncorks the socket; a failure (not TCP, closed) changes nothing worth reporting. */
static void set_cork(int socket_fd, int on) {
  (void)setsockopt(socket_fd, IPPROTO_TCP, TCP_CORK, &on, sizeof(on));
}

static void on_closed(uv_handle_t* handle) {
  transfer_t* t = (transfer_t*)handle->data;
  napi_env env = t->env;
  close(t->socket_fd);
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) == napi_ok) {
    napi_value callback, global, arg, ignored;
    if (napi_get_reference_value(env, t->callback, &callback) == napi_ok &&
        napi_get_global(env, &global) == napi_ok && napi_create_int32(env, t->result, &arg) == napi_ok) {
      napi_make_callback(env, t->context, global, callback, 1, &arg, &ignored);
    }
    napi_close_handle_scope(env, scope);
  }
  napi_delete_reference(env, t->callback);
  napi_async_destroy(env, t->context);
  free(t);
}

static void finish(transfer_t* t, int result) {
  if (t->finished) return;
  t->finished = 1;
  t->result = result;
  set_cork(t->socket_fd, 0);
  uv_poll_stop(&t->poll);
  uv_close((uv_handle_t*)&t->poll, on_closed);
}

static void on_writable(uv_poll_t* handle, int status, int events) {
  transfer_t* t = (transfer_t*)handle->data;
  (void)events;
  if (t->finished) return;
  int r = pump(t->socket_fd, t->file_fd, &t->offset, &t->remaining);
  /* libuv reports POLLERR (e.g. the client's RST) as UV_EBADF and stops polling;
     the sendfile above then names the socket's real error (ECONNRESET, EPIPE). */
  if (status < 0 && r == 0) r = -EPIPE;
  if (r != 0) finish(t, r > 0 ? 0 : r);
}

static napi_value start(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5], out;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) {
    napi_throw_type_error(env, NULL, "start(socketFd, fileFd, offset, length, callback)");
    return NULL;
  }
  int32_t socket_fd, file_fd;
  int64_t offset, length;
  CHECK(napi_get_value_int32(env, argv[0], &socket_fd));
  CHECK(napi_get_value_int32(env, argv[1], &file_fd));
  CHECK(napi_get_value_int64(env, argv[2], &offset));
  CHECK(napi_get_value_int64(env, argv[3], &length));
  if (socket_fd < 0 || file_fd < 0 || offset < 0 || length < 0) {
    napi_throw_range_error(env, NULL, "start: negative fd, offset or length");
    return NULL;
  }

  /* The first turn runs now: a body the socket takes at once needs no poll at all. */
  off_t off = (off_t)offset;
  set_cork(socket_fd, 1);
  int r = pump(socket_fd, file_fd, &off, &length);
  if (r != 0) {
    set_cork(socket_fd, 0);
    CHECK(napi_create_int32(env, r > 0 ? 0 : r, &out));
    return out;
  }

  transfer_t* t = calloc(1, sizeof(*t));
  if (!t) {
    CHECK(napi_create_int32(env, -ENOMEM, &out));
    return out;
  }
  t->env = env;
  t->file_fd = file_fd;
  t->offset = off;
  t->remaining = length;
  t->socket_fd = fcntl(socket_fd, F_DUPFD_CLOEXEC, 0);
  uv_loop_t* loop;
  int err = t->socket_fd < 0 ? -errno : 0;
  if (!err && napi_get_uv_event_loop(env, &loop) != napi_ok) err = -EINVAL;
  if (!err) err = uv_poll_init(loop, &t->poll, t->socket_fd);
  if (err) {
    set_cork(socket_fd, 0);
    if (t->socket_fd >= 0) close(t->socket_fd);
    free(t);
    CHECK(napi_create_int32(env, err, &out));
    return out;
  }
  t->poll.data = t;
  napi_value name;
  CHECK(napi_create_string_utf8(env, "vieter.sendfile", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_async_init(env, NULL, name, &t->context));
  CHECK(napi_create_reference(env, argv[4], 1, &t->callback));
  err = uv_poll_start(&t->poll, UV_WRITABLE | UV_DISCONNECT, on_writable);
  if (err) finish(t, err);
  CHECK(napi_create_external(env, t, NULL, NULL, &out));
  return out;
}

static napi_value abort_transfer(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void* data;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok) {
    napi_throw_type_error(env, NULL, "abort(handle)");
    return NULL;
  }
  /* The caller never aborts after the callback ran, so the transfer is still allocated. */
  finish((transfer_t*)data, -ECANCELED);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"start", NULL, start, NULL, NULL, NULL, napi_default, NULL},
      {"abort", NULL, abort_transfer, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, 2, props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
