#include "core/people.hpp"

#include <algorithm>
#include <map>

#include "core/csv.hpp"
#include "core/validation.hpp"

namespace parley::core {

namespace {

Status check_field(const char* label, std::optional<std::string>& field) {
  if (!field) return Ok{};
  *field = trim(*field);
  if (field->empty()) {
    field.reset();
    return Ok{};
  }
  if (field->size() > kMaxFieldBytes) {
    return bad_request(std::string(label) + " is longer than " + std::to_string(kMaxFieldBytes) +
                       " bytes");
  }
  if (!is_valid_utf8(*field)) return bad_request(std::string(label) + " must be UTF-8");
  return Ok{};
}

enum class Column { email, name, job_title, phone, company, crm_status };

std::optional<Column> column_named(std::string header) {
  header = lowercase_ascii(trim(header));
  std::replace(header.begin(), header.end(), ' ', '_');
  static const std::map<std::string, Column, std::less<>> kNames{
      {"email", Column::email}, {"name", Column::name},       {"job_title", Column::job_title},
      {"phone", Column::phone}, {"company", Column::company}, {"crm_status", Column::crm_status}};
  auto it = kNames.find(header);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

}  // namespace

Result<PersonInput> validate_person_input(PersonInput p) {
  p.email = lowercase_ascii(trim(p.email));
  if (p.email.empty()) return bad_request("email is required");
  if (p.email.size() > kMaxFieldBytes || !looks_like_email(p.email)) {
    return bad_request("email is not a valid address");
  }
  for (auto [label, field] : {std::pair{"name", &p.name},
                              {"job_title", &p.job_title},
                              {"phone", &p.phone},
                              {"company", &p.company},
                              {"crm_status", &p.crm_status}}) {
    if (auto ok = check_field(label, *field); !ok) return ok.error();
  }
  return p;
}

Result<PeopleCsv> parse_people_csv(std::string_view text) {
  auto rows = parse_csv(text);
  if (!rows) return rows.error();
  if (rows->empty()) return bad_request("the file is empty: expected a header row");

  std::vector<Column> columns;
  for (const auto& header : rows->front().cells) {
    auto c = column_named(header);
    if (!c) {
      return bad_request("unknown column \"" + trim(header) +
                         "\" (expected email, name, job_title, phone, company, crm_status)");
    }
    if (std::find(columns.begin(), columns.end(), *c) != columns.end()) {
      return bad_request("column \"" + trim(header) + "\" appears twice");
    }
    columns.push_back(*c);
  }
  if (std::find(columns.begin(), columns.end(), Column::email) == columns.end()) {
    return bad_request("the header has no email column");
  }

  PeopleCsv out;
  std::map<std::string, int, std::less<>> first_line_of;
  for (std::size_t i = 1; i < rows->size(); ++i) {
    const auto& row = (*rows)[i].cells;
    int line = (*rows)[i].line;
    if (row.size() != columns.size()) {
      out.errors.push_back({line, "expected " + std::to_string(columns.size()) + " cells, found " +
                                      std::to_string(row.size())});
      continue;
    }
    PersonInput p;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      switch (columns[c]) {
        case Column::email:
          p.email = row[c];
          break;
        case Column::name:
          p.name = row[c];
          break;
        case Column::job_title:
          p.job_title = row[c];
          break;
        case Column::phone:
          p.phone = row[c];
          break;
        case Column::company:
          p.company = row[c];
          break;
        case Column::crm_status:
          p.crm_status = row[c];
          break;
      }
    }
    auto valid = validate_person_input(std::move(p));
    if (!valid) {
      out.errors.push_back({line, valid.error().message});
      continue;
    }
    auto [it, fresh] = first_line_of.emplace(valid->email, line);
    if (!fresh) {
      out.errors.push_back(
          {line, "email " + valid->email + " is already on line " + std::to_string(it->second)});
      continue;
    }
    out.people.push_back(std::move(*valid));
  }
  return out;
}

}  // namespace parley::core
