// Specification of mockdci/query.h: properties over random queries, and scale.
#include <catch2/catch.hpp>
#include <cctype>
#include <iterator>

#include "common/clock.h"
#include "common/rng.h"
#include "mockdci_query_fixtures.h"

using namespace query_test;

// --- property: printed trees parse back to the same meaning ----------------------------------

namespace {

// An independent model of the language for the property test: a random tree over fields a, b
// (numbers) and s (strings), its text, and its three-valued value on a row (nullopt = unknown).
struct Model {
  enum Kind { any_of, all_of, negation, number_cmp, string_cmp, is_null } kind;
  std::vector<Model> children;
  std::string field;
  int op = 0;  // index into kOps
  int64_t number = 0;
  std::string text;
  bool quoted = false;   // a number written as '2'
  bool negated = false;  // IS NOT null
};

const char* const kOps[] = {"EQ", "NE", "GT", "GE", "LT", "LE"};

std::string random_case(dcisim::common::Rng& rng, const std::string& word) {
  std::string out = word;
  for (char& c : out) {
    if (rng.chance(1, 2)) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Model random_model(dcisim::common::Rng& rng, int depth) {
  static const char* const kStrings[] = {"abc", "ABC", "abd", "", "it's"};
  Model m{};
  int pick = static_cast<int>(rng.uniform(0, depth == 0 ? 2 : 5));
  if (pick == 0) {
    m.kind = Model::number_cmp;
    m.field = rng.chance(1, 2) ? "a" : "b";
    m.op = static_cast<int>(rng.uniform(0, 5));
    m.number = rng.uniform(-1, 4);
    m.quoted = rng.chance(1, 4);
  } else if (pick == 1) {
    m.kind = Model::string_cmp;
    m.field = "s";
    m.op = static_cast<int>(rng.uniform(0, 5));
    m.text = kStrings[rng.uniform(0, 4)];
  } else if (pick == 2) {
    m.kind = Model::is_null;
    m.field = std::string(1, "abs"[rng.uniform(0, 2)]);
    m.negated = rng.chance(1, 2);
  } else if (pick == 3) {
    m.kind = Model::negation;
    m.children.push_back(random_model(rng, depth - 1));
  } else {
    m.kind = pick == 4 ? Model::all_of : Model::any_of;
    m.children.push_back(random_model(rng, depth - 1));
    m.children.push_back(random_model(rng, depth - 1));
  }
  return m;
}

int level(const Model& m) {
  return m.kind == Model::any_of     ? 1
         : m.kind == Model::all_of   ? 2
         : m.kind == Model::negation ? 3
                                     : 4;
}

// Parentheses only where precedence needs them, plus some at random.
std::string print(dcisim::common::Rng& rng, const Model& m, int min_level) {
  std::string out;
  switch (m.kind) {
    case Model::any_of:
    case Model::all_of:
      out = print(rng, m.children[0], level(m)) + " " +
            random_case(rng, m.kind == Model::any_of ? "OR" : "AND") + " " +
            print(rng, m.children[1], level(m) + 1);
      break;
    case Model::negation: out = random_case(rng, "NOT") + " " + print(rng, m.children[0], 3); break;
    case Model::number_cmp: {
      std::string number = std::to_string(m.number);
      out = m.field + " " + random_case(rng, kOps[m.op]) + " " +
            (m.quoted ? "'" + number + "'" : number);
      break;
    }
    case Model::string_cmp: {
      std::string quoted;
      for (char c : m.text) quoted += c == '\'' ? "''" : std::string(1, c);
      out = m.field + " " + kOps[m.op] + " '" + quoted + "'";
      break;
    }
    case Model::is_null: out = m.field + (m.negated ? " IS NOT NULL" : " is null"); break;
  }
  return level(m) < min_level || rng.chance(1, 6) ? "(" + out + ")" : out;
}

std::optional<bool> compare(int op, int order) {
  switch (op) {
    case 0: return order == 0;
    case 1: return order != 0;
    case 2: return order > 0;
    case 3: return order >= 0;
    case 4: return order < 0;
    default: return order <= 0;
  }
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::optional<bool> evaluate(const Model& m, const Json& row) {
  auto field = row.find(m.field);
  bool null = field == row.end() || field->is_null();
  switch (m.kind) {
    case Model::is_null: return null != m.negated;
    case Model::number_cmp:
      if (null) return std::nullopt;
      return compare(m.op,
                     field->get<int64_t>() < m.number ? -1 : field->get<int64_t>() > m.number);
    case Model::string_cmp:
      if (null) return std::nullopt;
      return compare(m.op, lower(field->get<std::string>()).compare(lower(m.text)));
    case Model::negation: {
      std::optional<bool> v = evaluate(m.children[0], row);
      return v ? std::optional<bool>(!*v) : std::nullopt;
    }
    default: {
      std::optional<bool> x = evaluate(m.children[0], row);
      std::optional<bool> y = evaluate(m.children[1], row);
      bool dominant = m.kind == Model::any_of;  // true decides OR, false decides AND
      if (x == dominant || y == dominant) return dominant;
      if (!x || !y) return std::nullopt;
      return !dominant;
    }
  }
}

}  // namespace

TEST_CASE("property: a random where tree, printed and parsed, means what the tree means",
          "[unit][query][property]") {
  dcisim::common::Rng rng(20260101);
  std::vector<Json> rows;
  for (int64_t id = 0; id < 60; ++id) {
    Json row = {{"id", id}};
    for (const char* field : {"a", "b"}) {
      int64_t pick = rng.uniform(-2, 3);
      if (pick == -1) row[field] = nullptr;
      if (pick >= 0) row[field] = pick;  // -2: missing
    }
    int64_t pick = rng.uniform(0, 6);
    if (pick == 5) row["s"] = nullptr;
    if (pick < 5) row["s"] = std::vector<std::string>{"abc", "ABC", "abd", "", "it's"}[pick];
    rows.push_back(row);
  }
  const std::vector<std::string> fields = {"id", "a", "b", "s"};
  for (int round = 0; round < 400; ++round) {
    Model model = random_model(rng, static_cast<int>(rng.uniform(0, 6)));
    std::string where = print(rng, model, 0);
    INFO(where);
    std::string orderby;
    Result<ListQuery> query = ListQuery::parse(&where, nullptr, nullptr, fields);
    REQUIRE(query.ok());
    for (const Json& row : rows) {
      INFO(row.dump());
      REQUIRE(query->matches(row) == (evaluate(model, row) == true));
    }
  }
}

TEST_CASE("property: any text either parses or gives a positioned error, never a crash",
          "[unit][query][property]") {
  static const char* const kPieces[] = {
      "id",  "name", "rack.id", "EQ", "cp", "AND",  "or", "NOT", "IS",   "null", "true", "(", ")",
      "'x'", "'",    "''",      "5",  "-",  "-1.5", " ",  "é",   "\x01", ",",    ".",    "%", "="};
  dcisim::common::Rng rng(7);
  std::vector<Json> rows = servers();
  for (int round = 0; round < 3000; ++round) {
    std::string where;
    for (int64_t n = rng.uniform(1, 12); n > 0; --n) {
      where += kPieces[rng.uniform(0, std::size(kPieces) - 1)];
      if (rng.chance(2, 3)) where += ' ';
    }
    INFO(where);
    Result<ListQuery> query = parse({where});
    if (query.ok()) {
      CHECK(query->apply(rows).at("size").get<size_t>() <= rows.size());
      continue;
    }
    const std::string& message = query.error().message;
    REQUIRE(message.rfind("where: position ", 0) == 0);
    size_t position = std::stoul(message.substr(16));
    CHECK(position >= 1);
    CHECK(position <= where.size() + 1);
    CHECK_NOTHROW(Json(message).dump());  // valid UTF-8, so it can go into an error body
  }
}

// --- scale ------------------------------------------------------------------------------------

namespace {
std::vector<Json> many_servers(size_t count) {
  std::vector<Json> rows;
  rows.reserve(count);
  const char* configurations[] = {"i9-9900K-64Gb-2x1024NVMe", "E5-2680v4-128Gb", "E3-1230v6-32Gb"};
  for (size_t i = 0; i < count; ++i) {
    auto id = static_cast<int64_t>(i + 1);
    Json owner =
        i % 3 == 0 ? Json(nullptr) : Json("user" + std::to_string(i % 50) + "@example.com");
    rows.push_back(
        server(id, configurations[i % 3], owner, i % 7 == 0, static_cast<int64_t>(i % 4)));
  }
  return rows;
}
const char* const kScaleWhere =
    "(owner_email CP 'user1%' OR owner_email IS null) AND is_new EQ false AND location_id EQ 3 "
    "AND NOT configuration CP '%E3%' AND rack.id GE 30";
}  // namespace

TEST_CASE("a query over 10,000 rows counts every match and returns the page", "[unit][query]") {
  std::vector<Json> rows = many_servers(10000);
  Json result = run(rows, {kScaleWhere, "configuration asc, id desc", "10,20"});
  int64_t expected = 0;
  for (const Json& row : rows) {
    const Json& owner = row.at("owner_email");
    bool owner_ok = owner.is_null() || owner.get<std::string>().rfind("user1", 0) == 0;
    expected += owner_ok && !row.at("is_new").get<bool>() && row.at("location_id") == 3 &&
                row.at("configuration").get<std::string>().find("E3") == std::string::npos;
  }
  CHECK(result.at("size") == expected);
  REQUIRE(result.at("list").size() == 20);
  CHECK(result.at("list").at(0).at("configuration") == "E5-2680v4-128Gb");
}
