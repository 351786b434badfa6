// What the socket server reports about the answers it sends, for the emulator's journal and the
// access log. Called on an event-loop thread, so an observer must be quick and thread-safe, and
// must not throw (what it throws is dropped).
#pragma once

#include <cstdint>
#include <functional>

#include "common/http.h"

namespace dcisim::mockdci {

struct ExchangeRecord {
  // Method, decoded path and query; no headers, no body. Fields are empty when the request did not
  // get that far (a request line over the limit has no method).
  common::HttpRequest request;
  int status = 0;
  // The HTTP layer answered by itself (a limit, a malformed request, a timeout): the handler
  // never saw the request, so nothing else journaled it.
  bool answered_by_server = false;
  common::Delivery::Mode delivery = common::Delivery::Mode::normal;
  // False when the connection ended before the answer was sent in full (the client left, a
  // write timed out): `status` is what the server meant to send.
  bool completed = true;
  int64_t duration_us = 0;  // from the request's first byte read to its answer's last byte sent
};

struct ExchangeObservers {
  // An answer the HTTP layer made itself, as soon as it is decided and before its first byte is
  // sent: a journal fed from here has the entry before the client has the answer.
  std::function<void(const ExchangeRecord&)> answered_by_server;
  // Every answer (the handler's and the HTTP layer's), once its last byte is sent or the
  // connection ended first: exactly one record per request.
  std::function<void(const ExchangeRecord&)> done;
};

}  // namespace dcisim::mockdci
