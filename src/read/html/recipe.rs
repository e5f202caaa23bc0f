//! Recipes: sites set the ingredients apart from the method (a table or list beside the
//! article), where extraction finds only the method. A page's schema.org `Recipe` names its
//! ingredients (`recipeIngredient`); the smallest element of the page that shows most of them
//! is its ingredient list, and it is put before the method when the article lacks them.

use dom_query::Document;

use super::text::{norm_key, visible_text};
use super::tunables::{RECIPE_LIST_MIN_SHARE, RECIPE_PRESENT_SHARE};

/// How an ingredient line is looked for in page text: the last three words of its
/// comparison key (`"3 Becher Schmand, je ca. 200 g"` → `"ca 200 g"`: the start of a line is
/// where pages reword it), padded with spaces so that only whole words match; each distinct
/// key once.
fn keys(ingredients: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in ingredients {
        let k = norm_key(i);
        let words: Vec<&str> = k.split(' ').collect();
        let key = format!(" {} ", words[words.len().saturating_sub(3)..].join(" "));
        if key.trim().chars().count() >= 3 && !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

/// Share of `keys` found in `text`.
fn share(keys: &[String], text: &str) -> f64 {
    if keys.is_empty() {
        return 0.0;
    }
    let hay = format!(" {} ", norm_key(text));
    keys.iter().filter(|k| hay.contains(k.as_str())).count() as f64 / keys.len() as f64
}

/// The HTML of the page's ingredient list: of the elements showing at least
/// [`RECIPE_LIST_MIN_SHARE`] of the ingredients, the one showing most, and of those the one
/// with the least text. `None` without ingredients or such an element.
pub fn ingredients_html(doc: &Document, ingredients: &[String]) -> Option<String> {
    let keys = keys(ingredients);
    if keys.len() < 2 {
        return None;
    }
    let listed: usize = ingredients.iter().map(|i| i.len()).sum();
    let found = doc.try_select(
        "body ul, body ol, body table, body dl, body div, body section, body article, body aside",
    )?;
    // The element showing the most ingredients; of those, the one with the least text.
    let mut best: Option<(f64, usize, String)> = None;
    for node in found.nodes() {
        // A container many times longer than the list is the page, not the list (and its
        // text is not built: wrappers of a big page would make this quadratic).
        let Some(text) = visible_text(node, None, listed * 20 + 2000) else { continue };
        let len = text.chars().count();
        let got = share(&keys, &text);
        let better = match &best {
            None => true,
            // On a tie the later element wins: a descendant comes after its ancestor.
            Some((s, l, _)) => got > *s || (got == *s && len <= *l),
        };
        if got >= RECIPE_LIST_MIN_SHARE && better {
            best = Some((got, len, node.html().to_string()));
        }
    }
    best.map(|(_, _, html)| html)
}

/// Whether `text` (the extracted article) already shows the ingredients.
pub fn has_ingredients(ingredients: &[String], text: &str) -> bool {
    let keys = keys(ingredients);
    keys.len() < 2 || share(&keys, text) >= RECIPE_PRESENT_SHARE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_smallest_element_listing_the_ingredients_is_found() {
        let doc = Document::from(
            "<html><body><div id='page'><aside><table class='ing'><tr><th>For the dough:</th></tr>\
             <tr><td>125 g</td><td>Flour</td></tr><tr><td>65 g</td><td>Sugar</td></tr>\
             <tr><td>65 g</td><td>Butter or margarine</td></tr></table></aside>\
             <article><p>Knead the flour, sugar and butter into a dough.</p></article></div></body></html>",
        );
        let ing = lines(&["125 g flour", "65 g sugar", "65 g butter or margarine"]);
        let html = ingredients_html(&doc, &ing).expect("a list");
        assert!(html.starts_with("<table") && html.contains("For the dough:"), "{html}");
        // The method alone names two of the three, but not as their lines do.
        assert!(!has_ingredients(&ing, "Knead the flour, sugar and butter into a dough."));
        assert!(has_ingredients(&ing, "125 g flour, 65 g sugar, 65 g butter or margarine"));
    }

    #[test]
    fn structured_data_in_the_body_is_not_the_list() {
        // The page's JSON-LD names every line; its list words one differently and adds one.
        let doc = Document::from(
            "<html><body><div class='schema'><script type='application/ld+json'>\
             {\"recipeIngredient\":[\"125 g flour\",\"65 g sugar\",\"65 g butter or margarine\"]}\
             </script></div><aside><ul><li>125 g flour</li><li>65 g sugar</li>\
             <li>65 g butter, or some margarine</li><li>a pinch of salt</li></ul></aside></body></html>",
        );
        let ing = lines(&["125 g flour", "65 g sugar", "65 g butter or margarine"]);
        let html = ingredients_html(&doc, &ing).expect("a list");
        assert!(html.starts_with("<ul>"), "{html}");
    }

    #[test]
    fn no_list_without_ingredients_on_the_page() {
        let doc = Document::from("<html><body><p>Nothing to cook here.</p></body></html>");
        assert_eq!(ingredients_html(&doc, &lines(&["2 eggs", "1 cup milk"])), None);
        assert_eq!(ingredients_html(&doc, &[]), None);
    }
}
