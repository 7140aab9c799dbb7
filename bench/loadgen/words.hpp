// Words the seeder (bench/seed) writes into message bodies and the inbox scenario searches
// for, so search terms have realistic hit counts: the first words are common, the last rare.
#pragma once

#include <array>
#include <string_view>

namespace parley::bench {

inline constexpr std::array<std::string_view, 32> kWords = {
    "hello",    "thanks",   "pricing",  "invoice", "refund",   "shipping", "order",
    "account",  "password", "demo",     "trial",   "upgrade",  "discount", "delivery",
    "warranty", "contract", "renewal",  "billing", "support",  "meeting",  "calendar",
    "quote",    "license",  "integration", "webhook", "export", "migration", "onboarding",
    "invoice-2231", "zebra", "quasar",  "marmalade"};

}  // namespace parley::bench
