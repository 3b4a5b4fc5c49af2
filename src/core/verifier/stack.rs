//! The stacks tokdbg knows the verifier defaults of: a closed set, named as users write them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One API stack (a JWT middleware or gateway) whose verifier defaults tokdbg mirrors.
/// The set is closed: a preset is only worth having when it was read in the stack's source,
/// so an unknown name is an error rather than an extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stack {
    ExpressJwt,
    ExpressOauth2JwtBearer,
    FastifyJwt,
    PassportJwt,
    KoaJwt,
    Pyjwt,
    Authlib,
    Spring,
    Aspnet,
    GolangJwt,
    Envoy,
    Kong,
    AwsApigw,
}

impl Stack {
    /// Every stack, in the order of `--as all`'s matrix.
    pub const ALL: [Stack; 13] = [
        Stack::ExpressJwt,
        Stack::ExpressOauth2JwtBearer,
        Stack::FastifyJwt,
        Stack::PassportJwt,
        Stack::KoaJwt,
        Stack::Pyjwt,
        Stack::Authlib,
        Stack::Spring,
        Stack::Aspnet,
        Stack::GolangJwt,
        Stack::Envoy,
        Stack::Kong,
        Stack::AwsApigw,
    ];

    /// The name written in `[expect] stack` and given to `--as`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stack::ExpressJwt => "express-jwt",
            Stack::ExpressOauth2JwtBearer => "express-oauth2-jwt-bearer",
            Stack::FastifyJwt => "fastify-jwt",
            Stack::PassportJwt => "passport-jwt",
            Stack::KoaJwt => "koa-jwt",
            Stack::Pyjwt => "pyjwt",
            Stack::Authlib => "authlib",
            Stack::Spring => "spring",
            Stack::Aspnet => "aspnet",
            Stack::GolangJwt => "golang-jwt",
            Stack::Envoy => "envoy",
            Stack::Kong => "kong",
            Stack::AwsApigw => "aws-apigw",
        }
    }

    /// Reads a stack's name (case-insensitive; `_` taken for `-`).
    pub fn parse(name: &str) -> Result<Stack, UnknownStack> {
        let wanted = name.trim().to_ascii_lowercase().replace('_', "-");
        Stack::ALL.into_iter().find(|s| s.as_str() == wanted).ok_or_else(|| UnknownStack(name.to_owned()))
    }

    /// The stack a server dialect (issue 11's `server.dialect`) belongs to, when the dialect
    /// is one stack's own wording; shared wording (`generic`, `rfc6750`) and stacks without a
    /// preset (hapi, Django, nginx) have none.
    pub fn of_dialect(dialect: &str) -> Option<Stack> {
        Some(match dialect {
            "express_jwt" => Stack::ExpressJwt,
            "express_oauth2_jwt_bearer" => Stack::ExpressOauth2JwtBearer,
            "fastify_jwt" => Stack::FastifyJwt,
            "passport_jwt" => Stack::PassportJwt,
            "koa_jwt" => Stack::KoaJwt,
            "fastapi" => Stack::Pyjwt,
            "authlib" => Stack::Authlib,
            "spring" => Stack::Spring,
            "aspnet" => Stack::Aspnet,
            "go" => Stack::GolangJwt,
            "envoy" => Stack::Envoy,
            "kong" => Stack::Kong,
            "aws_api_gateway" => Stack::AwsApigw,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Stack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stack name tokdbg has no preset for; its message lists the known ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStack(pub String);

impl std::fmt::Display for UnknownStack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let wanted = self.0.to_ascii_lowercase();
        let nearest = Stack::ALL
            .into_iter()
            .map(|s| (strsim::levenshtein(&wanted, s.as_str()), s))
            .min_by_key(|(distance, _)| *distance)
            .filter(|(distance, s)| *distance <= 3.max(s.as_str().len() / 3));
        write!(f, "unknown stack \"{}\"", self.0)?;
        if let Some((_, stack)) = nearest {
            write!(f, " (did you mean \"{stack}\"?)")?;
        }
        let known: Vec<&str> = Stack::ALL.iter().map(|s| s.as_str()).collect();
        write!(f, "; known: {}", known.join(", "))
    }
}

impl std::error::Error for UnknownStack {}

impl Serialize for Stack {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Stack {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Stack::parse(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back() {
        for stack in Stack::ALL {
            assert_eq!(Stack::parse(stack.as_str()), Ok(stack));
        }
        assert_eq!(Stack::parse("AWS_APIGW"), Ok(Stack::AwsApigw));
    }

    #[test]
    fn a_typo_gets_a_suggestion_and_the_list() {
        let message = Stack::parse("sprng").unwrap_err().to_string();
        assert!(message.contains("did you mean \"spring\""), "{message}");
        assert!(message.contains("known: express-jwt, express-oauth2-jwt-bearer"), "{message}");
    }

    #[test]
    fn a_far_name_gets_only_the_list() {
        let message = Stack::parse("websphere-liberty-oauth").unwrap_err().to_string();
        assert!(!message.contains("did you mean"), "{message}");
    }

    #[test]
    fn dialects_that_are_one_stack_map_to_it() {
        assert_eq!(Stack::of_dialect("fastapi"), Some(Stack::Pyjwt));
        assert_eq!(Stack::of_dialect("go"), Some(Stack::GolangJwt));
        assert_eq!(Stack::of_dialect("generic"), None);
    }
}
