use super::fold::{Folder, Hole, Piece};
use super::*;
use std::collections::HashMap;

fn text_of(code: &Code, expr: &Expr) -> Option<String> {
    Folder::new(code, &HashMap::new()).text(expr)
}

#[test]
fn calls_assignments_and_strings_are_read_as_written() {
    let code = read(
        r#"<!-- hide from old browsers
var base = '/zwgk/' /* a comment ( with a bracket */ ;
// a line comment: $.ajax({url: '/not/a/call'})
$.ajax({ url: base + `list_${'x'}.json`, data: { page: 1, t: "x)}" }, success: function (r) { render(r); } });
-->"#,
    );
    assert!(code.unreadable.is_none(), "{:?}", code.unreadable);
    let ajax = code
        .calls
        .iter()
        .find(|c| c.callee.path() == Some("$.ajax"))
        .unwrap();
    let settings = &ajax.args[0];
    assert_eq!(
        settings.field("data").and_then(|d| d.field("t")),
        Some(&Expr::Str("x)}".into()))
    );
    let url = settings.field("url").unwrap();
    assert_eq!(text_of(&code, url).as_deref(), Some("/zwgk/list_x.json"));
    // The commented call is no call; the callback's is.
    assert!(!code
        .calls
        .iter()
        .any(|c| c.args.first() == Some(&Expr::Str("/not/a/call".into()))));
    assert!(code.calls.iter().any(|c| c.callee.path() == Some("render")));
    assert_eq!(code.functions.len(), 1);
}

#[test]
fn constants_fold_through_variables_objects_and_defaults() {
    let code = read(
        r#"var SITE = { api: { list: '/api/list.json' } };
var tab = getQueryString('tab') || 'gfxwj';
var file = 'jy' + '_' + 'list' + '.html';
var page = 3;
var url = SITE.api.list + '?tab=' + tab + '&n=' + page;"#,
    );
    let expr = |name: &str| Expr::Path(name.into());
    let none = HashMap::new();
    let folder = Folder::new(&code, &none);
    assert_eq!(folder.text(&expr("file")).as_deref(), Some("jy_list.html"));
    assert_eq!(
        folder.text(&expr("SITE.api.list")).as_deref(),
        Some("/api/list.json")
    );
    assert_eq!(
        folder.pieces(&expr("url")),
        Some(vec![
            Piece::Text("/api/list.json?tab=".into()),
            Piece::Hole(Hole {
                name: "tab".into(),
                default: Some("gfxwj".into())
            }),
            Piece::Text("&n=3".into()),
        ])
    );
    // The page's own query value wins over the default.
    let query = HashMap::from([("tab".to_string(), "zdxzjc".to_string())]);
    let folder = Folder::new(&code, &query);
    assert_eq!(
        folder.text(&expr("url")).as_deref(),
        Some("/api/list.json?tab=zdxzjc&n=3")
    );
    assert_eq!(folder.query_key("tab"), Some("tab"));
}

#[test]
fn numbers_add_and_strings_join_as_javascript_does() {
    let code = read("var page = 1; var a = '/list_' + (page + 1) + '.html'; var b = '/list_' + page + 1 + '.html';");
    let none = HashMap::new();
    let folder = Folder::new(&code, &none);
    assert_eq!(
        folder.text(&Expr::Path("a".into())).as_deref(),
        Some("/list_2.html")
    );
    assert_eq!(
        folder.text(&Expr::Path("b".into())).as_deref(),
        Some("/list_11.html")
    );
}

#[test]
fn computed_values_do_not_fold() {
    let code = read(
        "var a = window.innerWidth > 1000 ? '/pc' : '/m'; var b = seg.join('/'); var c = a + '.html';",
    );
    for name in ["a", "b"] {
        let pieces = Folder::new(&code, &HashMap::new()).pieces(&Expr::Path(name.into()));
        assert!(
            matches!(pieces.as_deref(), Some([Piece::Hole(_)])),
            "{name}: {pieces:?}"
        );
    }
    assert_eq!(text_of(&code, &Expr::Path("c".into())), None);
}

#[test]
fn a_script_that_doubles_its_text_runs_out_of_budget() {
    let terms = |v: &str| vec![v; 20].join("+");
    let script = format!(
        "var a='x';var b={};var c={};var d={};var e={};",
        terms("a"),
        terms("b"),
        terms("c"),
        terms("d")
    );
    let code = read(&script);
    assert_eq!(text_of(&code, &Expr::Path("e".into())), None);
    assert_eq!(
        text_of(&code, &Expr::Path("b".into())).map(|t| t.len()),
        Some(20)
    );
}

#[test]
fn navigations_are_the_first_of_each_function() {
    let code = read(
        r#"function goColumn(c) { location.href = '/zwgk/' + c + '/index.shtml'; window.open('/x'); }
var nav = {}; nav.openArt = function (col, id) { window.open("/art/" + col + "/" + id + ".html", "_blank"); };
function same(a) { if (location.href == a) return; }"#,
    );
    let names: Vec<(&str, &[String])> = code
        .navigations
        .iter()
        .map(|n| &code.functions[n.function])
        .map(|f| (f.name.as_str(), f.params.as_slice()))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0].0, "goColumn");
    assert_eq!(
        names[1],
        ("openArt", &["col".to_string(), "id".to_string()][..])
    );
    assert_eq!(code.branches, 1);
}

#[test]
fn a_script_that_cannot_be_parsed_says_why() {
    let code = read("var id = <%=id%>; $.ajax({url: '/list.json'});");
    assert!(code.calls.is_empty());
    assert!(code
        .unreadable
        .as_deref()
        .unwrap_or_default()
        .contains("could not be parsed"));
    let long = format!("var a = '{}';", "x".repeat(MAX_SCRIPT_BYTES));
    assert!(read(&long)
        .unreadable
        .unwrap()
        .contains("longer than a list script"));
}

#[test]
fn deep_nesting_neither_overflows_the_stack_nor_deepens_the_facts() {
    // Each of these made oxc's parser overflow an 8 MiB stack at a few
    // thousand levels; a county page's script is untrusted.
    let levels = MAX_SCRIPT_BYTES / 4;
    let scripts = [
        format!("x = {}1{};", "(".repeat(levels), ")".repeat(levels)),
        format!(
            "x = {}1{};",
            "{a:".repeat(levels / 2),
            "}".repeat(levels / 2)
        ),
        format!("x = {}1;", "a=>".repeat(levels)),
        format!("f({}1{});", "[".repeat(levels), "]".repeat(levels)),
        format!("x = 'a'{};", "+'a'".repeat(levels)),
        format!("x = a{};", ".b".repeat(levels)),
    ];
    // On a thread with the 2 MiB stack tokio's blocking threads have.
    let codes = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let texts: Vec<&str> = scripts.iter().map(String::as_str).collect();
            read_all(&texts)
                .into_iter()
                .map(|c| depth_of_facts(&c))
                .collect::<Vec<_>>()
        })
        .unwrap()
        .join()
        .unwrap();
    for depth in codes {
        assert!(depth <= collect::MAX_DEPTH + 2, "{depth}");
    }
}

fn depth_of_facts(code: &Code) -> usize {
    fn depth(expr: &Expr) -> usize {
        1 + match expr {
            Expr::Member(object, _) => depth(object),
            Expr::Concat(parts) => parts.iter().map(depth).max().unwrap_or(0),
            Expr::Or(left, right) => depth(left).max(depth(right)),
            Expr::Call(callee, args) => args
                .iter()
                .map(depth)
                .chain([depth(callee)])
                .max()
                .unwrap_or(0),
            Expr::Object(fields) => fields.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
            _ => 0,
        }
    }
    code.calls
        .iter()
        .flat_map(|c| c.args.iter().chain([&c.callee]))
        .chain(code.assignments.iter().map(|a| &a.value))
        .chain(&code.strings)
        .chain(&code.objects)
        .map(depth)
        .max()
        .unwrap_or(0)
}
