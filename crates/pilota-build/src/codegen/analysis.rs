//! Whole-model facts the backend needs before it emits anything: the Rust name of
//! every item, field, variant and generated type, what every message can derive, and
//! which fields must be boxed to break recursion.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Error;
use super::names::{self, Case, Scope};
use super::ty::{Caps, Resolver, TyOpts};
use crate::model::{Attributes, Field, Item, ItemKind, Model, ModelPath, Ty};

/// The annotations that rename an item, field or enum value, in order of preference.
pub(crate) const RENAME_KEYS: &[&str] = &["pilota.name", "rust.name"];

/// The field that keeps unknown fields in every generated struct.
pub(crate) const UNKNOWN_FIELDS: &str = "_unknown_fields";

/// The union variant that keeps a value whose field this code does not know.
pub(crate) const UNKNOWN_VARIANT: &str = "_UnknownFields";

/// Rust names of a service method's generated types.
#[derive(Debug, Clone)]
pub(crate) struct MethodNames {
    pub(crate) args: String,
    pub(crate) result: Option<String>,
    /// The Rust names of the arguments (fields of the args struct).
    pub(crate) args_fields: Vec<String>,
    /// The Rust names of the exception variants of the result (after `Ok`).
    pub(crate) result_variants: Vec<String>,
}

/// Which model modules keep unknown fields: `default`, unless `modules` says otherwise.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeepUnknown {
    pub(crate) default: bool,
    pub(crate) modules: HashMap<Vec<String>, bool>,
}

impl KeepUnknown {
    /// Whether the items of a model module keep unknown fields.
    pub(crate) fn get(&self, module: &[String]) -> bool {
        self.modules.get(module).copied().unwrap_or(self.default)
    }
}

/// Everything computed over the whole model.
#[derive(Debug)]
pub(crate) struct Analysis {
    /// Model module → Rust module segments.
    pub(crate) modules: HashMap<Vec<String>, Vec<String>>,
    /// Rust module → the items placed in it, in model order.
    pub(crate) module_items: BTreeMap<Vec<String>, Vec<ModelPath>>,
    /// Item → its Rust name.
    pub(crate) items: HashMap<ModelPath, String>,
    /// Message, exception or union → the Rust names of its fields / variants.
    pub(crate) fields: HashMap<ModelPath, Vec<String>>,
    /// Enum → the Rust names of its values.
    pub(crate) variants: HashMap<ModelPath, Vec<String>>,
    /// `(service, method)` → generated type names.
    pub(crate) methods: HashMap<(ModelPath, String), MethodNames>,
    /// What each message, exception and union can derive.
    pub(crate) caps: HashMap<ModelPath, Caps>,
    /// `(message, field index)` pairs that are boxed to break a by-value cycle.
    pub(crate) boxed: HashSet<(ModelPath, usize)>,
    /// Which model modules keep unknown fields.
    pub(crate) keep: KeepUnknown,
    /// Rust modules that keep unknown fields (any model module placed there does).
    pub(crate) keep_rust: HashSet<Vec<String>>,
}

/// A renaming annotation, validated as an identifier.
pub(crate) fn rename(attrs: &Attributes) -> Result<Option<String>, Error> {
    match attrs.get_any(RENAME_KEYS) {
        Some(name) if names::is_valid_ident(name) => Ok(Some(name.to_string())),
        Some(name) => Err(Error::new(format!(
            "`{name}` (from a rename annotation) is not a valid Rust identifier"
        ))),
        None => Ok(None),
    }
}

/// The fields of a message-like item.
pub(crate) fn message_fields(item: &Item) -> Option<&[Field]> {
    match &item.kind {
        ItemKind::Message(m) | ItemKind::Exception(m) | ItemKind::Union(m) => Some(&m.fields),
        _ => None,
    }
}

impl Analysis {
    /// Analyses `model`; `keep` says which modules' structs keep unknown fields.
    /// Naming errors are returned next to the analysis (generation goes on, to report
    /// every error); type errors are left to the generator, which has the positions.
    pub(crate) fn new(model: &Model, keep: KeepUnknown) -> (Self, Vec<Error>) {
        let mut errors = Vec::new();
        let mut analysis = Analysis {
            modules: HashMap::new(),
            module_items: BTreeMap::new(),
            items: HashMap::new(),
            fields: HashMap::new(),
            variants: HashMap::new(),
            methods: HashMap::new(),
            caps: HashMap::new(),
            boxed: HashSet::new(),
            keep,
            keep_rust: HashSet::new(),
        };
        let mut scopes: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
        for file in model.files() {
            let rust_module: Vec<String> = file
                .module
                .iter()
                .map(|s| names::escape_non_raw(names::snake(s)))
                .collect();
            analysis
                .modules
                .insert(file.module.clone(), rust_module.clone());
            let unknown_fields = analysis.keep.get(&file.module);
            if unknown_fields {
                analysis.keep_rust.insert(rust_module.clone());
            }
            let scope = scopes
                .entry(rust_module.clone())
                .or_insert_with(|| Scope::new(Case::Camel));
            for item in &file.items {
                let path = ModelPath::new(file.module.clone(), &item.name);
                let (converted, case) = match &item.kind {
                    ItemKind::Const { .. } => (names::screaming_snake(&item.name), Case::Snake),
                    _ => (names::upper_camel(&item.name), Case::Camel),
                };
                let name = match rename(&item.attrs) {
                    Ok(renamed) => renamed.unwrap_or(converted),
                    Err(e) => {
                        errors.push(e.at(item.loc.clone()));
                        converted
                    }
                };
                analysis
                    .items
                    .insert(path.clone(), scope.alloc_as(name, case));
                analysis
                    .module_items
                    .entry(rust_module.clone())
                    .or_default()
                    .push(path.clone());
                if let Err(e) = analysis.name_members(&path, item, unknown_fields) {
                    errors.push(e);
                }
            }
        }
        // Generated types come after every IDL item of the module, so IDL names win.
        for file in model.files() {
            let rust_module = &analysis.modules[&file.module];
            let Some(scope) = scopes.get_mut(rust_module) else {
                continue;
            };
            let unknown_fields = analysis.keep.get(&file.module);
            for item in &file.items {
                let ItemKind::Service(service) = &item.kind else {
                    continue;
                };
                let path = ModelPath::new(file.module.clone(), &item.name);
                let base = &analysis.items[&path];
                for method in &service.methods {
                    let stem = format!("{base}{}", names::upper_camel(&method.name));
                    let args = scope.alloc_as(format!("{stem}Args"), Case::Camel);
                    let result = (!method.oneway)
                        .then(|| scope.alloc_as(format!("{stem}Result"), Case::Camel));
                    let args_fields = match field_names(
                        &method.args,
                        Case::Snake,
                        unknown_fields.then_some(UNKNOWN_FIELDS),
                    ) {
                        Ok(names) => names,
                        Err(e) => {
                            errors.push(e);
                            continue;
                        }
                    };
                    let mut variants = Scope::new(Case::Camel);
                    variants.reserve("Ok");
                    let result_variants = method
                        .throws
                        .iter()
                        .map(|f| variants.alloc(names::upper_camel(&f.name)))
                        .collect();
                    analysis.methods.insert(
                        (path.clone(), method.name.clone()),
                        MethodNames {
                            args,
                            result,
                            args_fields,
                            result_variants,
                        },
                    );
                }
            }
        }
        analysis.compute_caps(model);
        analysis.compute_boxed(model);
        (analysis, errors)
    }

    /// Names the fields, variants or enum values of one item.
    fn name_members(&mut self, path: &ModelPath, item: &Item, unknown: bool) -> Result<(), Error> {
        match &item.kind {
            ItemKind::Message(m) | ItemKind::Exception(m) => {
                let names = field_names(&m.fields, Case::Snake, unknown.then_some(UNKNOWN_FIELDS))?;
                self.fields.insert(path.clone(), names);
            }
            ItemKind::Union(m) => {
                let names =
                    field_names(&m.fields, Case::Camel, unknown.then_some(UNKNOWN_VARIANT))?;
                self.fields.insert(path.clone(), names);
            }
            ItemKind::Enum(e) => {
                let mut scope = Scope::new(Case::Snake);
                let mut names = Vec::new();
                for v in &e.variants {
                    let name = rename(&v.attrs)
                        .map_err(|e| e.at(v.loc.clone()))?
                        .unwrap_or_else(|| names::screaming_snake(&v.name));
                    names.push(scope.alloc(name));
                }
                self.variants.insert(path.clone(), names);
            }
            _ => {}
        }
        Ok(())
    }

    /// Fixpoint: every message starts able to derive `Eq` and `Hash` and loses what a
    /// field cannot provide, until nothing changes. A field whose type does not resolve
    /// is skipped here (the generator reports it).
    fn compute_caps(&mut self, model: &Model) {
        let start = |path: &ModelPath| Caps {
            eq: true,
            hash: !self.keep.get(&path.module),
            ord: false,
        };
        let mut caps = HashMap::new();
        for (path, item) in all_items(model) {
            if message_fields(item).is_some() {
                caps.insert(path.clone(), start(&path));
            }
        }
        self.caps = caps;
        loop {
            let mut changed = false;
            for (path, item) in all_items(model) {
                let Some(fields) = message_fields(item) else {
                    continue;
                };
                let mut caps = Caps {
                    eq: true,
                    hash: !self.keep.get(&path.module),
                    ord: false,
                };
                let resolver = Resolver {
                    model,
                    caps: &self.caps,
                };
                if fields.is_empty() && matches!(item.kind, ItemKind::Union(_)) {
                    // Holds nothing but unknown fields, which cannot be hashed.
                    caps.hash = false;
                }
                for field in fields {
                    if let Ok(ty) = resolver.resolve(&field.ty, TyOpts::from_attrs(&field.attrs)) {
                        caps = caps.and(resolver.caps(&ty));
                    }
                }
                if self.caps.get(&path) != Some(&caps) {
                    self.caps.insert(path, caps);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Boxes every field through which a message contains itself by value.
    fn compute_boxed(&mut self, model: &Model) {
        let mut edges: HashMap<ModelPath, Vec<(usize, ModelPath)>> = HashMap::new();
        for (path, item) in all_items(model) {
            let Some(fields) = message_fields(item) else {
                continue;
            };
            let targets = fields
                .iter()
                .enumerate()
                .filter(|(_, f)| !is_arc(&f.attrs))
                .filter_map(|(i, f)| by_value_message(model, &f.ty).map(|t| (i, t)))
                .collect();
            edges.insert(path, targets);
        }
        for (path, targets) in &edges {
            for (index, target) in targets {
                if reaches(&edges, target, path) {
                    self.boxed.insert((path.clone(), *index));
                }
            }
        }
    }
}

/// Whether a field is wrapped in `Arc` (`pilota.rust_wrapper_arc = "true"`).
pub(crate) fn is_arc(attrs: &Attributes) -> bool {
    attrs.get("pilota.rust_wrapper_arc") == Some("true")
}

/// Names the fields of a message (snake case) or the variants of a union (camel case).
fn field_names(fields: &[Field], case: Case, reserved: Option<&str>) -> Result<Vec<String>, Error> {
    let mut scope = Scope::new(case);
    if let Some(name) = reserved {
        scope.reserve(name);
    }
    fields
        .iter()
        .map(|f| {
            let name = rename(&f.attrs)
                .map_err(|e| e.at(f.loc.clone()))?
                .unwrap_or_else(|| match case {
                    Case::Camel => names::upper_camel(&f.name),
                    Case::Snake => names::snake(&f.name),
                });
            Ok(scope.alloc(name))
        })
        .collect()
}

/// Every item of the model with its path.
pub(crate) fn all_items(model: &Model) -> impl Iterator<Item = (ModelPath, &Item)> {
    model.files().iter().flat_map(|file| {
        file.items
            .iter()
            .map(move |item| (ModelPath::new(file.module.clone(), &item.name), item))
    })
}

/// The message a field holds by value (directly or in an `Option`), through aliases.
fn by_value_message(model: &Model, ty: &Ty) -> Option<ModelPath> {
    match model.resolve_alias(ty) {
        Ty::Path(path) => match model.item(path).map(|i| &i.kind) {
            Some(ItemKind::Message(_) | ItemKind::Exception(_) | ItemKind::Union(_)) => {
                Some(path.clone())
            }
            _ => None,
        },
        _ => None,
    }
}

/// Whether `to` is reachable from `from` along by-value edges (`from == to` counts).
fn reaches(
    edges: &HashMap<ModelPath, Vec<(usize, ModelPath)>>,
    from: &ModelPath,
    to: &ModelPath,
) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![from];
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node) {
            stack.extend(edges.get(node).into_iter().flatten().map(|(_, t)| t));
        }
    }
    false
}
