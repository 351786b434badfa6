// Typed ids of the emulator's objects. Ids are assigned from 1 in inventory file order (pools,
// networks, locations, racks, switches, ports, servers, templates, scripts) or in creation order
// (users, tokens, keys, addresses, operations), and are never reused within a run.
#pragma once

#include "common/id.h"

namespace dcisim::mockdci {

using PoolId = common::Id<struct PoolTag>;
using NetId = common::Id<struct NetTag>;
using IpId = common::Id<struct IpTag>;
using LocationId = common::Id<struct LocationTag>;
using RackId = common::Id<struct RackTag>;
using SwitchId = common::Id<struct SwitchTag>;
using PortId = common::Id<struct PortTag>;
using ServerId = common::Id<struct ServerTag>;
using UserId = common::Id<struct UserTag>;
using TokenId = common::Id<struct TokenTag>;
using KeyId = common::Id<struct KeyTag>;
using OperationId = common::Id<struct OperationTag>;
using TemplateId = common::Id<struct TemplateTag>;
using ScriptId = common::Id<struct ScriptTag>;

}  // namespace dcisim::mockdci
