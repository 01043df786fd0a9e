//! From oxc's syntax tree to the facts of a [`Code`].
//!
//! One walk over the tree records calls, assignments, string expressions,
//! object literals, `||` defaults and navigating functions, each converted
//! to an owned [`Expr`] at most [`MAX_DEPTH`] deep (deeper parts are
//! [`Expr::Other`]). The walk recurses as deep as the tree: it runs on the
//! stack `read_all` sized for the script.

use super::{Assignment, Call, Code, Expr, Function as Defined, Navigation};
use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, AssignmentTarget, BinaryExpression, BinaryOperator, BindingPattern, CallExpression,
    Expression, FormalParameters, Function, IfStatement, LogicalExpression, LogicalOperator,
    ObjectExpression, ObjectPropertyKind, TemplateLiteral, VariableDeclarator,
};
use oxc_ast::ast::{ArrowFunctionExpression, AssignmentExpression};
use oxc_ast_visit::{walk, Visit};
use oxc_parser::{ParseOptions, Parser};
use oxc_span::{GetSpan, SourceType, Span};
use oxc_syntax::scope::ScopeFlags;

/// How deep an expression is kept; past it, a part is [`Expr::Other`].
pub(super) const MAX_DEPTH: usize = 24;
/// How much of an uninterpreted expression's source is kept.
const OTHER_CHARS: usize = 80;

/// The facts of `source`, or why it could not be parsed.
pub(super) fn collect(source: &str) -> Code {
    let allocator = Allocator::default();
    // Event handlers end with `return false;` outside any function.
    let options = ParseOptions {
        allow_return_outside_function: true,
        ..ParseOptions::default()
    };
    let parsed = Parser::new(&allocator, source, SourceType::script())
        .with_options(options)
        .parse();
    if parsed.panicked {
        let why = parsed
            .diagnostics
            .first()
            .map_or_else(|| "a syntax error".to_string(), ToString::to_string);
        return Code {
            unreadable: Some(format!("it could not be parsed: {why}")),
            ..Code::default()
        };
    }
    let mut collector = Collector {
        source,
        code: Code {
            bytes: source.len(),
            ..Code::default()
        },
        open_functions: Vec::new(),
        next_function_name: None,
    };
    collector.visit_program(&parsed.program);
    collector.code
}

/// A function being walked.
struct OpenFunction {
    /// Its index in [`Code::functions`].
    index: usize,
    /// Its first navigation was recorded.
    navigated: bool,
}

struct Collector<'s> {
    source: &'s str,
    code: Code,
    /// The functions around the walk, innermost last.
    open_functions: Vec<OpenFunction>,
    /// The name the next function expression is assigned to.
    next_function_name: Option<String>,
}

impl Collector<'_> {
    /// `expression` as an [`Expr`], `depth` levels down.
    fn convert(&self, expression: &Expression, depth: usize) -> Expr {
        if depth > MAX_DEPTH {
            return self.other(expression.span());
        }
        match expression {
            Expression::StringLiteral(s) => Expr::Str(s.value.to_string()),
            Expression::TemplateLiteral(t) => self.template(t, depth),
            Expression::NumericLiteral(n) => Expr::Num(number_text(n.value)),
            Expression::BooleanLiteral(b) => Expr::Bool(b.value),
            Expression::NullLiteral(_) => Expr::Null,
            Expression::Identifier(id) => Expr::Path(id.name.to_string()),
            Expression::StaticMemberExpression(m) => {
                member(self.convert(&m.object, depth + 1), &m.property.name)
            }
            Expression::ComputedMemberExpression(m) => match &m.expression {
                Expression::StringLiteral(key) => {
                    member(self.convert(&m.object, depth + 1), &key.value)
                }
                _ => self.other(m.span),
            },
            Expression::ParenthesizedExpression(p) => self.convert(&p.expression, depth + 1),
            Expression::BinaryExpression(b) if b.operator == BinaryOperator::Addition => {
                // A parenthesised chain stays a part of its own: `'/list_' +
                // (page + 1)` adds before it joins.
                let parts = operands(b)
                    .into_iter()
                    .map(|operand| self.convert(operand, depth + 1))
                    .collect();
                Expr::Concat(parts)
            }
            Expression::LogicalExpression(l)
                if matches!(l.operator, LogicalOperator::Or | LogicalOperator::Coalesce) =>
            {
                Expr::Or(
                    Box::new(self.convert(&l.left, depth + 1)),
                    Box::new(self.convert(&l.right, depth + 1)),
                )
            }
            Expression::CallExpression(c) => Expr::Call(
                Box::new(self.convert(&c.callee, depth + 1)),
                self.arguments(&c.arguments, depth + 1),
            ),
            Expression::ObjectExpression(o) => self.object(o, depth),
            _ => self.other(expression.span()),
        }
    }

    fn arguments(&self, arguments: &[Argument], depth: usize) -> Vec<Expr> {
        arguments
            .iter()
            .map(|a| match a.as_expression() {
                Some(e) => self.convert(e, depth),
                None => self.other(a.span()),
            })
            .collect()
    }

    fn template(&self, t: &TemplateLiteral, depth: usize) -> Expr {
        let mut parts = Vec::new();
        for (i, quasi) in t.quasis.iter().enumerate() {
            let Some(cooked) = &quasi.value.cooked else {
                return self.other(t.span);
            };
            if !cooked.is_empty() {
                parts.push(Expr::Str(cooked.to_string()));
            }
            if let Some(e) = t.expressions.get(i) {
                parts.push(self.convert(e, depth + 1));
            }
        }
        match parts.len() {
            0 => Expr::Str(String::new()),
            1 if matches!(parts[0], Expr::Str(_)) => parts.remove(0),
            _ => Expr::Concat(parts),
        }
    }

    /// An object literal; one with computed keys or spreads is
    /// [`Expr::Other`]: its fields are not all known.
    fn object(&self, o: &ObjectExpression, depth: usize) -> Expr {
        let mut fields = Vec::new();
        for property in &o.properties {
            let ObjectPropertyKind::ObjectProperty(p) = property else {
                return self.other(o.span);
            };
            let Some(key) = p.key.static_name().filter(|_| !p.computed) else {
                return self.other(o.span);
            };
            fields.push((key.into_owned(), self.convert(&p.value, depth + 1)));
        }
        Expr::Object(fields)
    }

    fn other(&self, span: Span) -> Expr {
        let text = self
            .source
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default();
        Expr::Other(text.chars().take(OTHER_CHARS).collect())
    }

    /// Records a navigation of the innermost open function, if it is its
    /// first.
    fn navigation(&mut self, address: Expr) {
        let Some(function) = self.open_functions.last_mut() else {
            return;
        };
        if function.navigated {
            return;
        }
        function.navigated = true;
        self.code.navigations.push(Navigation {
            function: function.index,
            address,
        });
    }

    fn open_function(&mut self, name: Option<String>, params: &FormalParameters) {
        let name = name.or_else(|| self.next_function_name.take());
        self.next_function_name = None;
        let params = params
            .items
            .iter()
            .map(|p| match &p.pattern {
                BindingPattern::BindingIdentifier(id) => id.name.to_string(),
                _ => String::new(),
            })
            .collect();
        self.open_functions.push(OpenFunction {
            index: self.code.functions.len(),
            navigated: false,
        });
        self.code.functions.push(Defined {
            name: name.unwrap_or_default(),
            params,
        });
    }

    /// Names the function `value` is, if it is one, after `target`.
    fn name_next_function(&mut self, target: &Expr, value: &Expression) {
        if matches!(
            value.without_parentheses(),
            Expression::FunctionExpression(_) | Expression::ArrowFunctionExpression(_)
        ) {
            self.next_function_name = target.last_name().map(str::to_string);
        }
    }
}

impl<'a> Visit<'a> for Collector<'_> {
    fn visit_expression(&mut self, it: &Expression<'a>) {
        match it {
            Expression::StringLiteral(_) | Expression::TemplateLiteral(_) => {
                self.code.strings.push(self.convert(it, 0));
                walk::walk_expression(self, it);
            }
            Expression::BinaryExpression(b) if b.operator == BinaryOperator::Addition => {
                self.code.strings.push(self.convert(it, 0));
                // The chain's own strings are part of it; what else its
                // operands hold (calls, functions) is walked.
                for operand in operands(b) {
                    if !matches!(operand, Expression::StringLiteral(_)) {
                        self.visit_expression(operand);
                    }
                }
            }
            _ => walk::walk_expression(self, it),
        }
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        let callee = self.convert(&it.callee, 1);
        let args = self.arguments(&it.arguments, 1);
        let path = callee.path().unwrap_or_default();
        let is = |p: &str| path == p || path.ends_with(&format!(".{p}"));
        if let Some(address) = args.first() {
            let changes_location = is("location.assign") || is("location.replace");
            if changes_location {
                self.code.location_changes.push(address.clone());
            }
            if changes_location || is("window.open") {
                self.navigation(address.clone());
            }
        }
        self.code.calls.push(Call {
            span: it.span.start as usize..it.span.end as usize,
            callee,
            args,
            within: self.open_functions.last().map(|f| f.index),
        });
        walk::walk_call_expression(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        let target = match &it.left {
            AssignmentTarget::AssignmentTargetIdentifier(id) => {
                Some(Expr::Path(id.name.to_string()))
            }
            AssignmentTarget::StaticMemberExpression(m) => {
                Some(member(self.convert(&m.object, 1), &m.property.name))
            }
            _ => None,
        };
        if let Some(target) = target {
            let value = self.convert(&it.right, 1);
            let path = target.path().unwrap_or_default();
            if path == "location" || path.ends_with(".location") || path.ends_with("location.href")
            {
                self.code.location_changes.push(value.clone());
                self.navigation(value.clone());
            }
            self.name_next_function(&target, &it.right);
            self.code.assignments.push(Assignment { target, value });
        }
        walk::walk_assignment_expression(self, it);
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        if let (BindingPattern::BindingIdentifier(id), Some(init)) = (&it.id, &it.init) {
            let target = Expr::Path(id.name.to_string());
            self.name_next_function(&target, init);
            self.code.assignments.push(Assignment {
                target,
                value: self.convert(init, 1),
            });
        }
        walk::walk_variable_declarator(self, it);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        self.open_function(it.id.as_ref().map(|id| id.name.to_string()), &it.params);
        walk::walk_function(self, it, flags);
        self.open_functions.pop();
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        self.open_function(None, &it.params);
        walk::walk_arrow_function_expression(self, it);
        self.open_functions.pop();
    }

    fn visit_if_statement(&mut self, it: &IfStatement<'a>) {
        self.code.branches += 1;
        walk::walk_if_statement(self, it);
    }

    fn visit_logical_expression(&mut self, it: &LogicalExpression<'a>) {
        if let Expression::StringLiteral(s) = &it.right {
            self.code.defaults.push(s.value.to_string());
        }
        walk::walk_logical_expression(self, it);
    }

    fn visit_object_expression(&mut self, it: &ObjectExpression<'a>) {
        self.code.objects.push(self.object(it, 1));
        walk::walk_object_expression(self, it);
    }
}

/// The operands of a `+` chain, left to right, without recursing down it
/// (`'a' + 'a' + …` is as deep as it is long).
fn operands<'e, 'a>(b: &'e BinaryExpression<'a>) -> Vec<&'e Expression<'a>> {
    let mut operands = vec![&b.right];
    let mut left = &b.left;
    while let Expression::BinaryExpression(inner) = left {
        if inner.operator != BinaryOperator::Addition {
            break;
        }
        operands.push(&inner.right);
        left = &inner.left;
    }
    operands.push(left);
    operands.reverse();
    operands
}

/// `object.name`: a longer path when `object` is one.
fn member(object: Expr, name: &str) -> Expr {
    match object {
        Expr::Path(path) => Expr::Path(format!("{path}.{name}")),
        object => Expr::Member(Box::new(object), name.to_string()),
    }
}

/// A number as JavaScript prints it in a string.
pub(super) fn number_text(value: f64) -> String {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}
