// Recursive descent over `where`:
//   any_of     := all_of (OR all_of)*
//   all_of     := negation (AND negation)*
//   negation   := NOT negation | primary
//   primary    := '(' any_of ')' | field op value | field IS [NOT] null
// The first error stops the parse and is the one reported. Depth (parentheses and NOTs) is
// bounded, so a hostile query cannot overflow the stack.
#include <optional>
#include <utility>

#include "common/assert.h"
#include "mockdci/query_lexer.h"
#include "mockdci/query_where.h"

namespace dcisim::mockdci::query_detail {

namespace {

using NodePtr = std::unique_ptr<WhereNode>;

std::optional<CompareOp> compare_op_of(Keyword keyword) {
  switch (keyword) {
    case Keyword::eq: return CompareOp::eq;
    case Keyword::ne: return CompareOp::ne;
    case Keyword::gt: return CompareOp::gt;
    case Keyword::ge: return CompareOp::ge;
    case Keyword::lt: return CompareOp::lt;
    case Keyword::le: return CompareOp::le;
    case Keyword::cp: return CompareOp::cp;
    default: return std::nullopt;
  }
}

const char* compare_op_name(CompareOp op) {
  switch (op) {
    case CompareOp::eq: return "EQ";
    case CompareOp::ne: return "NE";
    case CompareOp::gt: return "GT";
    case CompareOp::ge: return "GE";
    case CompareOp::lt: return "LT";
    case CompareOp::le: return "LE";
    case CompareOp::cp: return "CP";
  }
  return "?";
}

class WhereParser {
 public:
  WhereParser(std::string_view text, const std::vector<std::string>& known_fields)
      : lexer_("where", text), known_fields_(known_fields), text_(text) {}

  common::Result<NodePtr> parse() {
    if (!advance()) return *error_;
    NodePtr root = parse_any_of();
    if (root && current_.kind != TokenKind::end) {
      fail(current_.offset, join({"expected AND, OR or end of input, found ", describe(current_)}));
    }
    if (error_) return *error_;
    DCISIM_ASSERT(root != nullptr, "where parser returned no tree and no error");
    return root;
  }

 private:
  bool advance() {
    common::Result<Token> token = lexer_.next();
    if (!token.ok()) {
      error_ = token.error();
      return false;
    }
    current_ = std::move(token).value();
    return true;
  }

  std::nullptr_t fail(size_t offset, const std::string& what) {
    if (!error_) error_ = lexer_.error_at(offset, what);
    return nullptr;
  }

  // Joins `first` and the operands after each `keyword` into one n-ary node, so that a long chain
  // of ANDs is one flat node, not a deep tree.
  template <typename ParseOperand>
  NodePtr parse_chain(Keyword keyword, WhereNode::Kind kind, ParseOperand parse_operand) {
    NodePtr first = parse_operand();
    if (!first || current_.keyword != keyword) return first;
    auto chain = std::make_unique<WhereNode>();
    chain->kind = kind;
    chain->children.push_back(std::move(first));
    while (current_.kind == TokenKind::word && current_.keyword == keyword) {
      if (!advance()) return nullptr;
      NodePtr next = parse_operand();
      if (!next) return nullptr;
      chain->children.push_back(std::move(next));
    }
    return chain;
  }

  NodePtr parse_any_of() {
    return parse_chain(Keyword::or_, WhereNode::Kind::any_of, [this] { return parse_all_of(); });
  }

  NodePtr parse_all_of() {
    return parse_chain(Keyword::and_, WhereNode::Kind::all_of, [this] { return parse_negation(); });
  }

  NodePtr parse_negation() {
    if (current_.keyword != Keyword::not_) return parse_primary();
    if (depth_ == kMaxWhereDepth) {
      return fail(current_.offset, too_deep_message());
    }
    if (!advance()) return nullptr;
    ++depth_;
    NodePtr operand = parse_negation();
    --depth_;
    if (!operand) return nullptr;
    auto node = std::make_unique<WhereNode>();
    node->kind = WhereNode::Kind::negation;
    node->children.push_back(std::move(operand));
    return node;
  }

  NodePtr parse_primary() {
    if (current_.kind == TokenKind::open_paren) return parse_group();
    if (current_.kind != TokenKind::word || current_.keyword != Keyword::none) {
      return fail(current_.offset, join({"expected a field name, found ", describe(current_)}));
    }
    return parse_condition();
  }

  NodePtr parse_group() {
    size_t open_offset = current_.offset;
    if (depth_ == kMaxWhereDepth) {
      return fail(open_offset, too_deep_message());
    }
    if (!advance()) return nullptr;
    ++depth_;
    NodePtr inner = parse_any_of();
    --depth_;
    if (!inner) return nullptr;
    if (current_.kind != TokenKind::close_paren) {
      return fail(current_.offset, join({"expected AND, OR or ')' to close the '(' at position ",
                                         std::to_string(char_position(text_, open_offset)),
                                         ", found ", describe(current_)}));
    }
    if (!advance()) return nullptr;
    return inner;
  }

  NodePtr parse_condition() {
    Token field_token = current_;
    std::string_view name = field_token.source;
    if (!is_well_formed_field(name)) {
      return fail(field_token.offset, join({"malformed field name \"", printable(name), "\""}));
    }
    if (!is_known_field(name, known_fields_)) {
      return fail(field_token.offset, join({"unknown field \"", printable(name), "\""}));
    }
    if (!advance()) return nullptr;
    auto node = std::make_unique<WhereNode>();
    node->field = FieldPath::from(name);
    if (current_.keyword == Keyword::is) return parse_is_null(std::move(node));
    std::optional<CompareOp> op = compare_op_of(current_.keyword);
    if (current_.kind != TokenKind::word || !op) {
      return fail(current_.offset,
                  join({"expected an operator (EQ, NE, GT, GE, LT, LE, CP or IS) after \"",
                        printable(name), "\", found ", describe(current_)}));
    }
    if (!advance()) return nullptr;
    node->kind = WhereNode::Kind::comparison;
    node->op = *op;
    std::optional<Literal> value = parse_value(*op);
    if (!value) return nullptr;
    node->value = std::move(*value);
    if (*op == CompareOp::cp) node->pattern = LikePattern(node->value.text);
    return node;
  }

  NodePtr parse_is_null(NodePtr node) {
    if (!advance()) return nullptr;
    bool negated = current_.keyword == Keyword::not_;
    if (negated && !advance()) return nullptr;
    if (current_.keyword != Keyword::null) {
      return fail(current_.offset, join({"expected null after ", negated ? "IS NOT" : "IS",
                                         ", found ", describe(current_)}));
    }
    if (!advance()) return nullptr;
    node->kind = negated ? WhereNode::Kind::is_not_null : WhereNode::Kind::is_null;
    return node;
  }

  std::optional<Literal> parse_value(CompareOp op) {
    Literal literal;
    const Token& token = current_;
    if (token.kind == TokenKind::string) {
      literal.kind = Literal::Kind::string;
      literal.text = token.value;
      literal.number = number_from_text(literal.text);
    } else if (token.kind == TokenKind::number) {
      literal.kind = Literal::Kind::number;
      literal.text = std::string(token.source);
      literal.number = number_from_text(literal.text);
      if (!literal.number) {
        fail(token.offset, join({"number ", printable(token.source), " is out of range"}));
        return std::nullopt;
      }
    } else if (token.keyword == Keyword::true_ || token.keyword == Keyword::false_) {
      bool value = token.keyword == Keyword::true_;
      literal.kind = Literal::Kind::boolean;
      literal.text.assign(1, value ? '1' : '0');  // MySQL's TRUE is 1, also for CP
      literal.number = value ? 1 : 0;
    } else if (token.keyword == Keyword::null) {
      literal.kind = Literal::Kind::null;
      literal.text = "null";
    } else {
      fail(token.offset,
           join({"expected a value after ", compare_op_name(op), ", found ", describe(token)}));
      return std::nullopt;
    }
    if (!advance()) return std::nullopt;
    return literal;
  }

  static std::string too_deep_message() {
    return join(
        {"nesting deeper than ", std::to_string(kMaxWhereDepth), " levels of parentheses and NOT"});
  }

  Lexer lexer_;
  const std::vector<std::string>& known_fields_;
  std::string_view text_;
  Token current_;
  int depth_ = 0;
  std::optional<common::Error> error_;
};

}  // namespace

bool is_well_formed_field(std::string_view name) {
  return !name.empty() && name.front() != '.' && name.back() != '.' &&
         name.find("..") == std::string_view::npos;
}

bool is_known_field(std::string_view path, const std::vector<std::string>& known_fields) {
  for (const std::string& known : known_fields) {
    if (path == known) return true;
    // A path inside a listed (object) field: "rack.id" under "rack".
    if (path.size() > known.size() && path.substr(0, known.size()) == known &&
        path[known.size()] == '.') {
      return true;
    }
  }
  return false;
}

common::Result<std::unique_ptr<WhereNode>> parse_where(
    std::string_view text, const std::vector<std::string>& known_fields) {
  return WhereParser(text, known_fields).parse();
}

}  // namespace dcisim::mockdci::query_detail
