// People: the CRM side of visitors (SPEC §2, visitor information). A person is keyed by
// email, compared case-insensitively; every visitor who gives that email is that person.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace parley::core {

// An upsert: the email picks the person; a field that is set replaces the stored one, an
// unset field keeps it.
struct PersonInput {
  std::string email;  // lower-cased by validate_person_input
  std::optional<std::string> name;
  std::optional<std::string> job_title{};
  std::optional<std::string> phone{};
  std::optional<std::string> company{};
  std::optional<std::string> crm_status{};  // free text: "Lead", "Contact", "Customer", ...
};

// Trims every field (an empty optional field becomes unset), lower-cases the email, and
// checks the email's shape and each field's size (kMaxFieldBytes) and UTF-8.
Result<PersonInput> validate_person_input(PersonInput input);

struct CsvRowError {
  int line = 0;  // 1-based line of the file (the header is line 1)
  std::string message;
};

struct PeopleCsv {
  std::vector<PersonInput> people;  // validated, in file order
  std::vector<CsvRowError> errors;  // every bad row; import nothing when non-empty
};

// A header row naming the columns (any order, any case; "job title" = "job_title"):
// email (required), name, job_title, phone, company, crm_status. An empty cell leaves
// that field as stored. Each data row is validated; an email that appears on two rows is
// an error on the second. bad_request for a file that cannot be read at all (no header,
// unknown or missing columns, a broken quote).
Result<PeopleCsv> parse_people_csv(std::string_view text);

}  // namespace parley::core
