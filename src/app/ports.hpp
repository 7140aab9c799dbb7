// The ports the services are built on, declared and not defined: a service header names the
// Store by reference only, so that transport (net/), which includes service headers, cannot
// reach the Store through them. The services' sources include store/store.hpp.
#pragma once

namespace parley::store {
class Store;
struct NewMessage;
struct MeetingChange;
}  // namespace parley::store
