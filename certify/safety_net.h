// The live target's safety net: a common::HttpTransport put between the billing core's module (or
// certify's cycle) and a live DCImanager. It
//   - lets reads through, but restricts server lists to the servers named by --allow-server (their
//     `where` gets "AND (id EQ 5 OR id EQ 7)"), so that billing sees no other server for sale and
//     its audit reads only those;
//   - refuses, without sending anything, a change to a server that is not allowed, an issue to a
//     DCImanager user this run did not create, the deletion of a user it did not create, and any
//     change that is not a route of the module's table (answer: 403 with DCImanager's error JSON,
//     "dcisim safety net: ...");
//   - writes a ledger entry before each change it lets through (and the answer after), so that
//     `dcisim certify --cleanup` can undo it whatever happens next.
// It never looks at credentials: headers pass through untouched and nothing of them is written.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "billing/dci6/routes.h"
#include "certify/ledger.h"
#include "common/http.h"

namespace dcisim::certify {

struct SafetyNetOptions {
  std::vector<int64_t> allowed_servers;  // the only servers that may be changed
  billing::dci6::RouteTable routes = billing::dci6::RouteTable::defaults();
  Ledger* ledger = nullptr;              // required; outlives the safety net
};

class SafetyNet final : public common::HttpTransport {
 public:
  SafetyNet(std::unique_ptr<common::HttpTransport> inner, SafetyNetOptions options);

  common::Result<common::HttpResponse> send(const common::HttpRequest& request) override;
  std::string describe() const override { return inner_->describe(); }

  // Every refusal, in order: "POST /api/dci/v3/server/3/owner: server 3 is not in --allow-server".
  std::vector<std::string> refusals() const;
  // Users created through this safety net (also those of earlier runs read from the ledger).
  void adopt_created_user(int64_t user_id);

 private:
  common::HttpResponse refuse(const common::HttpRequest& request, const std::string& why);
  bool allowed(int64_t server_id) const;
  bool created(int64_t user_id) const;
  // The server a switch port is connected to (0: unknown), read with the request's own session.
  int64_t server_of_port(const common::HttpRequest& request, int64_t switch_id, int64_t port_id);
  common::HttpRequest restricted_server_list(const common::HttpRequest& request) const;

  std::unique_ptr<common::HttpTransport> inner_;
  SafetyNetOptions options_;
  mutable std::mutex mutex_;
  std::set<int64_t> created_users_;
  std::vector<std::string> refusals_;
};

}  // namespace dcisim::certify
