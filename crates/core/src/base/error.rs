//! The error of a workload spec out of its valid range: a leaf every workload module uses,
//! apart from the workloads themselves.

/// A parameter is out of its valid range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SpecError {
    /// The parameter's name, as in the spec (`sleep_ms`); the CLI flag is `--sleep-ms`.
    pub field: &'static str,
    /// A sentence naming the parameter, its value and the valid range.
    pub message: String,
}

impl SpecError {
    /// An error about `field` with a custom message.
    pub fn new(field: &'static str, message: String) -> Self {
        SpecError { field, message }
    }

    /// The first `(field, value, min, max)` whose value lies outside `min..=max`, as an error.
    pub fn check_ranges(ranges: &[(&'static str, u64, u64, u64)]) -> Result<(), SpecError> {
        match ranges
            .iter()
            .find(|(_, value, min, max)| !(min..=max).contains(&value))
        {
            Some(&(field, value, min, max)) => Err(SpecError::out_of_range(field, value, min, max)),
            None => Ok(()),
        }
    }

    /// `field` is `value`, outside `min..=max`.
    pub fn out_of_range(field: &'static str, value: u64, min: u64, max: u64) -> Self {
        SpecError::new(
            field,
            format!("{field} = {value} is out of range; valid range is {min}..={max}"),
        )
    }

    /// `Ok` when `field`'s `value` is within `min..=max`, else the error naming it.
    pub fn within(field: &'static str, value: u64, min: u64, max: u64) -> Result<(), Self> {
        if (min..=max).contains(&value) {
            Ok(())
        } else {
            Err(SpecError::out_of_range(field, value, min, max))
        }
    }
}
