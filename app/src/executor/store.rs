//! Finished results, kept in memory until the chain no longer wants them:
//! bounded, so a chain that never finalises cannot grow a node's memory.

use std::collections::BTreeMap;

use venice_types::inference::TaskResult;

/// Results by task id; past `capacity` the oldest task ids give way.
#[derive(Debug)]
pub struct ResultStore {
    capacity: usize,
    by_task: BTreeMap<u64, TaskResult>,
}

impl ResultStore {
    pub fn new(capacity: usize) -> Self {
        ResultStore { capacity: capacity.max(1), by_task: BTreeMap::new() }
    }

    /// Keep `r` (a second result for one task replaces the first).
    pub fn insert(&mut self, r: TaskResult) {
        self.by_task.insert(r.task_id, r);
        while self.by_task.len() > self.capacity {
            // Task ids grow with submission: the lowest is the oldest,
            // the one nearest its deadline.
            self.by_task.pop_first();
        }
    }

    /// Keep only the results `wanted` says yes to.
    pub fn retain(&mut self, mut wanted: impl FnMut(u64) -> bool) {
        self.by_task.retain(|id, _| wanted(*id));
    }

    pub fn contains(&self, id: u64) -> bool {
        self.by_task.contains_key(&id)
    }

    pub fn ids(&self) -> Vec<u64> {
        self.by_task.keys().copied().collect()
    }

    /// Every result, by task id.
    pub fn all(&self) -> Vec<TaskResult> {
        self.by_task.values().cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.by_task.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_task.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: u64) -> TaskResult {
        TaskResult { task_id: id, output_hash: vec![id as u8; 32], output: vec![] }
    }

    #[test]
    fn bounded_oldest_first_and_pruned() {
        let mut s = ResultStore::new(3);
        for id in [5, 2, 9, 7] {
            s.insert(r(id));
        }
        assert_eq!(s.ids(), vec![5, 7, 9], "the lowest id went");
        s.insert(TaskResult { output: vec![1], ..r(7) });
        assert_eq!((s.len(), s.all()[1].output.clone()), (3, vec![1]));
        s.retain(|id| id != 7);
        assert_eq!(s.ids(), vec![5, 9]);
        assert!(s.contains(9) && !s.contains(7));
        s.retain(|_| false);
        assert!(s.is_empty());
    }
}
