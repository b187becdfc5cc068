//! Replies of recent searches, kept until the next commit: a page that searches as the user
//! types, pages back and forth or follows a shared link asks the same search again, and the
//! index cannot change under a reply before the snapshot holding this cache is replaced.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use crate::serve::api::Reply;
use crate::serve::params::SearchParams;

/// Replies by the search asked (parsed, so `q=数据&limit=10` and `limit=10&q=数据` are one),
/// the oldest dropped first once they hold more than the budget.
pub struct Cache {
    budget: usize,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    replies: HashMap<SearchParams, Reply>,
    order: VecDeque<SearchParams>,
    bytes: usize,
}

/// A reply larger than this share of the budget is not kept: it would push out many others.
const LARGEST_SHARE: usize = 8;

impl Cache {
    /// A cache of at most `budget` bytes of replies; 0 keeps none.
    pub fn new(budget: usize) -> Cache {
        Cache {
            budget,
            kept: Mutex::new(Kept::default()),
        }
    }

    pub fn get(&self, params: &SearchParams) -> Option<Reply> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.replies.get(params).cloned()
    }

    /// Keeps a successful reply.
    pub fn put(&self, params: &SearchParams, reply: &Reply) {
        let size = reply.body.len();
        if reply.status != 200 || size > self.budget / LARGEST_SHARE {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.replies.insert(params.clone(), reply.clone()).is_some() {
            return;
        }
        kept.order.push_back(params.clone());
        kept.bytes += size;
        while kept.bytes > self.budget {
            let Some(oldest) = kept.order.pop_front() else {
                break;
            };
            if let Some(dropped) = kept.replies.remove(&oldest) {
                kept.bytes -= dropped.body.len();
            }
        }
    }
}
