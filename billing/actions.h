// What people and gateways ask of the billing core, one function per action. Each runs inside a
// transaction the facade opens (and rolls back on error: a refused action changes nothing).
// Internal to billing/: the public face is billing.h.
#pragma once

#include <optional>
#include <string>

#include "billing/core.h"
#include "billing/records.h"
#include "common/result.h"

namespace dcisim::billing {

// clients.cpp
common::Result<ClientId> register_client(Core& core, const NewClient& request);
common::Status set_client_status(Core& core, ClientId client, ClientStatus status,
                                 const std::string& reason);
common::Result<ClientId> authenticate(Core& core, const std::string& email, const std::string& password);
common::Status set_credit_limit(Core& core, ClientId client, common::Money limit,
                                const std::string& reason);

// payments.cpp
common::Result<PaymentId> create_payment(Core& core, ClientId client, common::Money amount,
                                         const std::string& method);
common::Status start_payment(Core& core, PaymentId payment, const std::string& external_id);
common::Result<PaymentView> confirm_payment(Core& core, const std::string& external_id);
common::Result<PaymentView> payment_by_external_id(Core& core, const std::string& external_id);
common::Status cancel_payment(Core& core, PaymentId payment, const std::string& reason);
common::Result<PaymentId> admin_credit(Core& core, ClientId client, common::Money amount,
                                       const std::string& reason);
common::Result<PaymentId> refund_payment(Core& core, PaymentId payment,
                                         std::optional<common::Money> amount,
                                         const std::string& reason);
common::Result<PaymentView> payment_view(Core& core, PaymentId payment);

// orders.cpp
common::Result<ServiceId> place_order(Core& core, const OrderRequest& order);
common::Status prolong(Core& core, ServiceId service, int periods, Actor actor,
                       std::optional<int> period_months = std::nullopt);
common::Status set_autoprolong(Core& core, ServiceId service, bool on, Actor actor);

// service_actions.cpp
common::Status suspend_service(Core& core, ServiceId service, SuspendFlag flag, const std::string& reason);
common::Status resume_service(Core& core, ServiceId service, SuspendFlag flag, const std::string& reason);
common::Status delete_service(Core& core, ServiceId service, Actor actor, const std::string& reason);
common::Status cancel_task(Core& core, TaskId task, const std::string& reason);
common::Status retry_task(Core& core, TaskId task, const std::string& reason);

}  // namespace dcisim::billing
