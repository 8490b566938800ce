"""The commands as `kehu --help` lists them: name and one-line help, in each language.
Written by `python scripts/catalog.py compile` from the commands' own help; do not edit.
tests/test_startup.py checks that it is what the commands say."""
# ruff: noqa: E501

COMMANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        (
            "today",
            "Whom to contact today, why, and what to talk about: late first, then due.",
        ),
        (
            "overdue",
            "Only what is late, plain, for a cron job; prints nothing at all when nothing is.",
        ),
        (
            "done",
            "Close an item: logs the contact it asked for (or keeps the promise).",
        ),
        (
            "snooze",
            "Put off one item until a later day.",
        ),
        (
            "greet",
            "Whom to greet for a holiday (中秋, mid-autumn…): name, phone, what to talk about, and who is greeted already.",
        ),
        (
            "calendar",
            "What is coming, by day: holidays, customers' dates (birthdays and others, solar or lunar), call-backs, promises, planned calls and the ends of snoozes.",
        ),
        (
            "draft",
            "A message to send (or, for a call-back, a call script): in the customer's language and form of address, with one specific detail about them.",
        ),
        (
            "add",
            "Add a customer right after a sale (with --product), or a repeat sale by phone.",
        ),
        (
            "sale",
            "Record a further purchase by a known customer.",
        ),
        (
            "show",
            "The customer card: details, profile, purchases, promises and every contact.",
        ),
        (
            "list",
            "One line per customer, with days since the last reached contact.",
        ),
        (
            "edit",
            "Change a customer's details or profile.",
        ),
        (
            "archive",
            "Take a customer off lists and the schedule; everything about them is kept.",
        ),
        (
            "unarchive",
            "Bring an archived customer back.",
        ),
        (
            "delete",
            "Delete a customer and all their purchases, contacts and promises.",
        ),
        (
            "assign",
            "Hand a customer (or, with --from/--to, all of one owner's customers) to a salesperson.",
        ),
        (
            "lost",
            "Close a prospect without a sale (战败), with the reason; an ordered one's cancelled order (level O) deletes the booked purchase.",
        ),
        (
            "prospects",
            "The month's prospect level table (意向客户级别状况表) and the conversion figures.",
        ),
        (
            "log",
            "Log a contact (a call, a visit, a message…) with a customer.",
        ),
        (
            "promise",
            "Record a promise made to a customer.",
        ),
        (
            "kept",
            "Mark a promise as kept.",
        ),
        (
            "cancel",
            "Cancel a promise (it no longer applies).",
        ),
        (
            "promises",
            "List open promises, the soonest due first.",
        ),
        (
            "contact-edit",
            "Correct a logged contact; the customer's last contact follows.",
        ),
        (
            "contact-delete",
            "Delete a contact logged by mistake.",
        ),
        (
            "purchase-edit",
            "Correct a purchase.",
        ),
        (
            "purchase-delete",
            "Delete a purchase recorded by mistake.",
        ),
        (
            "promise-edit",
            "Correct a promise.",
        ),
        (
            "promise-delete",
            "Delete a promise recorded by mistake (`kehu cancel` when it no longer applies).",
        ),
        (
            "followup-edit",
            "Correct a planned call.",
        ),
        (
            "followup-delete",
            "Delete a planned call.",
        ),
        (
            "undo",
            "Undo your last change to the book; again to go one change further back.",
        ),
        (
            "path",
            "Print where the book is (a password in a URL is masked).",
        ),
        (
            "config",
            "Show the settings and what each sets, or set one: `kehu config rules.daily_target 15`.",
        ),
        (
            "backup",
            "Copy the book safely, even while others write, and verify the copy.",
        ),
        (
            "doctor",
            "Check the book: integrity, links between rows, schema, files, permissions, backups.",
        ),
        (
            "copy-to",
            "Copy this whole book into an empty PostgreSQL database, in one transaction.",
        ),
        (
            "import",
            "Add customers from a file: CSV or Excel (Chinese or English headers, Google and Outlook exports), vCards, or kehu's JSON (into an empty book).",
        ),
        (
            "export",
            "Export the customers (CSV with a BOM, xlsx, vCard), the whole book (JSON, which `kehu import` restores into an empty book) or what is coming (ICS calendar).",
        ),
        (
            "template",
            "The templates drafts are written from: list, show, edit, reset.",
        ),
        (
            "date",
            "A customer's dates: birthdays, anniversaries, solar or lunar.",
        ),
        (
            "report",
            "Reports: the day, week or month, relationship health, tiers, referrals, profiles.",
        ),
    ),
    "zh": (
        (
            "today",
            "今天该联系谁、为什么、聊什么：先列逾期的，再列到期的。",
        ),
        (
            "overdue",
            "只列出逾期事项，纯文本，供定时任务（cron）使用；没有逾期时不输出任何内容。",
        ),
        (
            "done",
            "完成一项：记下它要求的联系（或兑现承诺）。",
        ),
        (
            "snooze",
            "把一项推迟到以后某天。",
        ),
        (
            "greet",
            "一个节日（中秋、mid-autumn……）要问候谁：姓名、电话、话题，以及谁已经问候过。",
        ),
        (
            "calendar",
            "按天列出要来的事：节日、客户的日期（生日和其他日期，公历或农历）、购买回访、承诺、计划回访和推迟结束的日子。",
        ),
        (
            "draft",
            "一条可以直接发出的消息（回访则是一份电话提纲）：用客户的语言和称呼，并提到一个关于他的具体细节。",
        ),
        (
            "add",
            "成交后立即添加客户（配合 --product），或按电话号码记录老客户复购。",
        ),
        (
            "sale",
            "记录老客户的又一次购买。",
        ),
        (
            "show",
            "客户卡片：资料、档案、购买、承诺和每一次联系。",
        ),
        (
            "list",
            "每位客户一行，附上距上次联系上的天数。",
        ),
        (
            "edit",
            "修改客户资料或档案。",
        ),
        (
            "archive",
            "把客户移出列表和日程；其全部记录都会保留。",
        ),
        (
            "unarchive",
            "恢复一位已归档的客户。",
        ),
        (
            "delete",
            "删除一位客户及其全部购买、联系和承诺记录。",
        ),
        (
            "assign",
            "把一位客户（或用 --from/--to 把某人的全部客户）移交给一位销售。",
        ),
        (
            "lost",
            "意向客户战败（未成交），并写明原因；已下单（O 级）的客户取消订单，预订的购买记录会一并删除。",
        ),
        (
            "prospects",
            "本月的意向客户级别状况表和转化数据。",
        ),
        (
            "log",
            "记录一次与客户的联系（电话、拜访、消息……）。",
        ),
        (
            "promise",
            "记录对客户做出的一项承诺。",
        ),
        (
            "kept",
            "把一项承诺标记为已兑现。",
        ),
        (
            "cancel",
            "取消一项承诺（不再需要兑现）。",
        ),
        (
            "promises",
            "列出未兑现的承诺，最先到期的在前。",
        ),
        (
            "contact-edit",
            "更正一条联系记录；客户的最近联系时间随之更新。",
        ),
        (
            "contact-delete",
            "删除一条记错的联系记录。",
        ),
        (
            "purchase-edit",
            "更正一笔购买记录。",
        ),
        (
            "purchase-delete",
            "删除一笔记错的购买记录。",
        ),
        (
            "promise-edit",
            "更正一个承诺。",
        ),
        (
            "promise-delete",
            "删除一个记错的承诺（不再适用的承诺请用 `kehu cancel`）。",
        ),
        (
            "followup-edit",
            "更正一次计划回访。",
        ),
        (
            "followup-delete",
            "删除一次计划回访。",
        ),
        (
            "undo",
            "撤销你对客户簿的上一次改动；再运行一次就再往前撤销一次。",
        ),
        (
            "path",
            "显示客户簿的位置（URL 中的密码会被隐去）。",
        ),
        (
            "config",
            "显示各项设置及其作用，或修改一项：`kehu config rules.daily_target 15`。",
        ),
        (
            "backup",
            "安全地复制客户簿（即使别人正在写入），并校验副本。",
        ),
        (
            "doctor",
            "检查客户簿：完整性、记录间的关联、数据库版本、文件、权限和备份。",
        ),
        (
            "copy-to",
            "在一个事务中把整个客户簿复制到一个空的 PostgreSQL 数据库。",
        ),
        (
            "import",
            "从文件添加客户：CSV 或 Excel（中文或英文表头，Google、Outlook 导出的也行）、vCard 名片，或 kehu 的 JSON（导入空客户簿）。",
        ),
        (
            "export",
            "导出客户（带 BOM 的 CSV、xlsx、vCard）、整本客户簿（JSON，可用 `kehu import` 恢复到空客户簿）或接下来的安排（ICS 日历）。",
        ),
        (
            "template",
            "话术所用的模板：列出、查看、编辑、恢复默认。",
        ),
        (
            "date",
            "客户的重要日期：生日、纪念日，公历或农历。",
        ),
        (
            "report",
            "报表：日报、周报、月报，客户关系健康度、等级、转介绍、档案完整度。",
        ),
    ),
}
