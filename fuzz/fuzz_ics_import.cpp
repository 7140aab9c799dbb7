// Fuzzes the .ics import (src/calendar/ics_import): libical's parser and the recurrence
// expansion behind busy_times_from_ics, with its bounds on work. The first input byte moves
// the window and picks the default zone; the rest is the file. What comes back must be
// clipped to the window, non-empty ranges, sorted, without duplicates.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "calendar/ics_import.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

constexpr const char* kZones[] = {"UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  // A 60-day window starting 2024-01-01 UTC, moved by up to ~2 years.
  const parley::core::Millis day = 86'400'000;
  const parley::core::Millis from = 1'704'067'200'000 + (bytes[0] >> 2) * 12 * day;
  const parley::core::Millis to = from + 60 * day;
  auto busy = parley::calendar::busy_times_from_ics(text, from, to, kZones[bytes[0] & 3]);
  if (!busy) return 0;
  for (std::size_t i = 0; i < busy->size(); ++i) {
    const auto& r = (*busy)[i];
    check(from <= r.start && r.start < r.end && r.end <= to);
    if (i) {
      const auto& p = (*busy)[i - 1];
      check(p.start < r.start || (p.start == r.start && p.end < r.end));
    }
  }
  return 0;
}
