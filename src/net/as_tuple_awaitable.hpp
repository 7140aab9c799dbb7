// The completion token of net/'s coroutines: `co_await op(..., as_tuple_awaitable)` returns
// the error code (and the result) as a tuple instead of throwing, so a peer that went away
// is a value to look at, not an exception.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace parley::net {

inline constexpr auto as_tuple_awaitable = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace parley::net
