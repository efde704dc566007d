function __arrakis_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __arrakis_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __arrakis_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __arrakis_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __arrakis_parse_tokens -S
    set -l unparsed_tokens (__arrakis_tokens -pc)
    switch $unparsed_tokens[1]
    case 'arrakis'
        __arrakis_parse_subcommand 0 'explain-route' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'ask'
            __arrakis_parse_subcommand -r 1 'm/model=' 'max-tokens=' 'max-retries=' 'effort=' 'db=' 'max-input-bytes=' 'system=' 'temperature=' 'no-stream' 'c/continue' 'session=' 'json' 'q/quiet' 'with-history' 'no-history' 'history-budget=' 'version' 'h/help'
        case 'code'
            __arrakis_parse_subcommand -r 1 'm/model=' 'max-tokens=' 'max-retries=' 'db=' 'max-input-bytes=' 'permission=' 'allow=+' 'deny=+' 'sandbox=' 'allow-network' 'no-allow-network' 'max-turns=' 'max-budget-usd=' 'test-command=' 'pass-env=+' 'mcp-config=' 'effort=' 'context-window=' 'output-format=' 'resume=' 'c/continue' 'replay=' 'with-history' 'no-history' 'history-budget=' 'C/workspace=' 'version' 'h/help'
        case 'analyze'
            __arrakis_parse_subcommand 1 'since=' 'run-tests' 'test-command=' 'no-model' 'compare' 'no-compare' 'fail-on=' 'wait' 'no-cache' 'limit=' 'json' 'markdown' 'q/quiet' 'm/model=' 'max-tokens=' 'max-retries=' 'db=' 'version' 'h/help'
        case 'improve'
            __arrakis_parse_subcommand -r 1 'next' 'improvement=' 'm/model=' 'max-tokens=' 'max-retries=' 'db=' 'test-command=' 'target=+' 'metric=' 'metric-goal=' 'metric-runs=' 'metric-timeout=' 'sandbox=' 'max-fix-attempts=' 'max-turns=' 'max-budget-usd=' 'keep' 'merge' 'discard' 'dry-run' 'wait' 'force' 'no-history' 'history-budget=' 'json' 'C/workspace=' 'version' 'h/help'
        case 'rollback'
            __arrakis_parse_subcommand 1 'last' 'prune' 'older-than=' 'dry-run' 'json' 'C/workspace=' 'db=' 'version' 'h/help'
        case 'log'
            __arrakis_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __arrakis_parse_subcommand 0 'n/limit=' 'system=' 'since=' 'workspace=' 'status=' 'q=' 'json' 'jsonl' 'db=' 'version' 'h/help'
            case 'show'
                __arrakis_parse_subcommand 1 'json' 'db=' 'version' 'h/help'
            case 'stats'
                __arrakis_parse_subcommand 0 'since=' 'json' 'html=' 'db=' 'version' 'h/help'
            case 'insights'
                __arrakis_parse_subcommand 0 'n/limit=' 'json' 'db=' 'version' 'h/help'
            case 'backup'
                __arrakis_parse_subcommand 1 'force' 'db=' 'version' 'h/help'
            case 'prune'
                __arrakis_parse_subcommand 0 'older-than=' 'dry-run' 'json' 'db=' 'version' 'h/help'
            case 'recost'
                __arrakis_parse_subcommand 0 'since=' 'json' 'db=' 'version' 'h/help'
            case 'copy'
                __arrakis_parse_subcommand 0 'from=' 'to=' 'batch=' 'json' 'db=' 'version' 'h/help'
            case 'path'
                __arrakis_parse_subcommand 0 'db=' 'version' 'h/help'
            end
        case 'config'
            __arrakis_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'show'
                __arrakis_parse_subcommand 0 'm/model=' 'max-tokens=' 'max-retries=' 'permission=' 'allow=+' 'deny=+' 'sandbox=' 'allow-network' 'no-allow-network' 'max-turns=' 'max-budget-usd=' 'test-command=' 'pass-env=+' 'mcp-config=' 'C/workspace=' 'json' 'version' 'h/help'
            case 'path'
                __arrakis_parse_subcommand 0 'C/workspace=' 'version' 'h/help'
            end
        case 'doctor'
            __arrakis_parse_subcommand 0 'json' 'db=' 'version' 'h/help'
        case 'models'
            __arrakis_parse_subcommand 0 'json' 'version' 'h/help'
        case 'mcp'
            __arrakis_parse_subcommand 0 'db=' 'version' 'h/help'
        case 'help'
            __arrakis_parse_subcommand -r 1 'version'
        end
    end
end

function __arrakis_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __arrakis_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __arrakis_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __arrakis_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__arrakis_tokens -p)
    if test -z "$(__arrakis_tokens -t)"
        set -l index (count (__arrakis_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'arrakis' -f
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis" explain-route' -l 'explain-route' -d 'With a request and no subcommand: print whether it would go to ask or code, and why; run nothing.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'ask' -d 'Ask Claude one question; the answer streams to stdout.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'code' -d 'Let Claude work in this workspace with Read, Write, Edit, Bash, Glob and Grep.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'analyze' -d 'Analyse a repository: churn, hotspots, markers, tests; with an API key, ranked improvements.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'improve' -d 'Let Claude make one change on a throwaway branch, gated by the project\'s tests.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'rollback' -d 'Undo a change improve made: delete its branch, or revert it on your branch if merged.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'log' -d 'Read the ledger: recent runs, transcripts, stats, insights; back it up and prune it.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'config' -d 'Show the effective configuration and where each value comes from.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'doctor' -d 'Check the API key, the API\'s reachability, the ledger, git, bubblewrap and rg.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'models' -d 'List the model aliases and ids with their context windows, output limits and prices.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'mcp' -d 'Serve arrakis to other agents as an MCP server on stdin/stdout.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" m model' -l 'model' -s 'm' -d 'Model: opus, sonnet, haiku, fable or a full id (default: $ARRAKIS_MODEL, else sonnet; see arrakis models).' -rfka 'opus sonnet haiku fable'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" max-tokens' -l 'max-tokens' -d 'Maximum tokens in each reply (default: max_tokens in the config files, else 4096).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" max-retries' -l 'max-retries' -d 'Retries on rate limits, overloads and connection errors.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" effort' -l 'effort' -d 'How hard the model works: low, medium or high (default: the model\'s own).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" max-input-bytes' -l 'max-input-bytes' -d 'Refuse a prompt plus stdin larger than this, before anything is sent (default: 10000000, 10 MB).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" system' -l 'system' -d 'A system prompt.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" temperature' -l 'temperature' -d 'Sampling temperature, 0.0–1.0.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" no-stream' -l 'no-stream' -d 'Wait for the whole answer instead of streaming it.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" c continue' -s 'c' -l 'continue' -d 'Continue the last ask session in this workspace.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" session' -l 'session' -d 'Continue this session (an id or a unique prefix).' -rfka '(__arrakis_custom_completion ---completion ask -- --session (count (__arrakis_tokens -pc)) (__arrakis_tokens -tC))'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" json' -l 'json' -d 'Print one JSON object: text, session id, model, stop reason, usage, cost, duration.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" q quiet' -l 'quiet' -s 'q' -d 'No usage line or progress spinner on stderr.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" with-history' -l 'with-history' -d 'Include a digest of what the ledger knows about this repository (code: the default).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" no-history' -l 'no-history' -d 'No knowledge digest.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" history-budget' -l 'history-budget' -d 'Token budget of the knowledge digest (default 1500; 4 characters a token).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis ask" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" m model' -l 'model' -s 'm' -d 'Model: opus, sonnet, haiku, fable or a full id (default: $ARRAKIS_MODEL, else sonnet; see arrakis models).' -rfka 'opus sonnet haiku fable'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" max-tokens' -l 'max-tokens' -d 'Maximum tokens in each reply (default: max_tokens in the config files, else 4096).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" max-retries' -l 'max-retries' -d 'Retries on rate limits, overloads and connection errors.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" max-input-bytes' -l 'max-input-bytes' -d 'Refuse a prompt plus stdin larger than this, before anything is sent (default: 10000000, 10 MB).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" permission' -l 'permission' -d 'read-only, safe-write, full-access or self-modify.' -rfka 'read-only safe-write full-access self-modify'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code"' -l 'allow' -d 'Pre-approve a tool or tool pattern (repeatable).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code"' -l 'deny' -d 'Deny a tool or tool pattern (repeatable); deny wins, and adds to the config files\' deny.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" sandbox' -l 'sandbox' -d 'os (Bash under bubblewrap) or policy (screened commands, confined paths). Default: os where bubblewrap can run, else policy with a notice.' -rfka 'os policy'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" allow-network' -l 'allow-network' -d 'With --sandbox os: let Bash reach the network (default: no).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" no-allow-network' -l 'no-allow-network' -d 'With --sandbox os: let Bash reach the network (default: no).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" max-turns' -l 'max-turns' -d 'Stop after this many model turns (default: 50).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" max-budget-usd' -l 'max-budget-usd' -d 'Stop once the session has cost this much (USD).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" test-command' -l 'test-command' -d 'The project\'s test command, when detection guesses wrong.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code"' -l 'pass-env' -d 'Pass this environment variable to Bash and the test command (repeatable); adds to pass_env. Default: only PATH, HOME, USER, LANG, LC_*, TERM, TMPDIR, SHELL.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" mcp-config' -l 'mcp-config' -d 'MCP servers whose tools the model may use, in Claude Code\'s format: {"mcpServers": {"NAME": {"command": …, "args": […], "env": {…}}}}.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" effort' -l 'effort' -d 'How hard the model works: low, medium or high (default: the model\'s own).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" context-window' -l 'context-window' -d 'The model\'s context window in tokens, when the catalog\'s is wrong (see arrakis models).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" output-format' -l 'output-format' -d 'text, json or stream-json.' -rfka 'text json stream-json'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" resume' -l 'resume' -d 'Continue this recorded code session.' -rfka '(__arrakis_custom_completion ---completion code -- --resume (count (__arrakis_tokens -pc)) (__arrakis_tokens -tC))'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" c continue' -s 'c' -l 'continue' -d 'Continue the last code session in this workspace.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" replay' -l 'replay' -d 'Take the model\'s turns from a recorded session or a JSONL file; tools run for real.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" with-history' -l 'with-history' -d 'Include a digest of what the ledger knows about this repository (code: the default).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" no-history' -l 'no-history' -d 'No knowledge digest.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" history-budget' -l 'history-budget' -d 'Token budget of the knowledge digest (default 1500; 4 characters a token).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" C workspace' -s 'C' -l 'workspace' -d 'Work in this directory (default: the enclosing repository).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis code" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" since' -l 'since' -d 'History window: an age (90.days, 12.weeks) or a date (2025-01-01).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" run-tests' -l 'run-tests' -d 'Run the detected (or --test-command) test command and record the result.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" test-command' -l 'test-command' -d 'The test command, instead of detecting one.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" no-model' -l 'no-model' -d 'Local signals only, even with an API key.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" compare' -l 'compare' -d 'Show what changed since the previous analysis.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" no-compare' -l 'no-compare' -d 'Show what changed since the previous analysis.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" fail-on' -l 'fail-on' -d 'Exit 1 when any holds: new-hotspots, new-markers, failing-tests.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" wait' -l 'wait' -d 'Wait for another analyze of this repository instead of failing with exit 12.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" no-cache' -l 'no-cache' -d 'Diff every commit of the window again instead of reusing the statistics earlier runs stored in the ledger (and store none).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" limit' -l 'limit' -d 'Hotspots to rank and show.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" json' -l 'json' -d 'Print the report as one JSON object (docs/analyze-schema.md).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" markdown' -l 'markdown' -d 'Print the report as Markdown (for a PR comment or a wiki page).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" q quiet' -l 'quiet' -s 'q' -d 'Print nothing unless something is wrong (for cron).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" m model' -l 'model' -s 'm' -d 'Model: opus, sonnet, haiku, fable or a full id (default: $ARRAKIS_MODEL, else sonnet; see arrakis models).' -rfka 'opus sonnet haiku fable'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" max-tokens' -l 'max-tokens' -d 'Maximum tokens in each reply (default: max_tokens in the config files, else 4096).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" max-retries' -l 'max-retries' -d 'Retries on rate limits, overloads and connection errors.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis analyze" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" next' -l 'next' -d 'Take the top open improvement of the latest `arrakis analyze`.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" improvement' -l 'improvement' -d 'Take this recorded improvement.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" m model' -l 'model' -s 'm' -d 'Model: opus, sonnet, haiku, fable or a full id (default: $ARRAKIS_MODEL, else sonnet; see arrakis models).' -rfka 'opus sonnet haiku fable'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" max-tokens' -l 'max-tokens' -d 'Maximum tokens in each reply (default: max_tokens in the config files, else 4096).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" max-retries' -l 'max-retries' -d 'Retries on rate limits, overloads and connection errors.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" test-command' -l 'test-command' -d 'The gate (default: detected: swift test, make test, npm test, pytest…).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve"' -l 'target' -d 'A failing test that must pass (repeatable; a name or its last part, e.g. test_add). Default: every test failing at the baseline.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" metric' -l 'metric' -d 'Keep the change only if this measure improves significantly (the last number the command prints on stdout).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" metric-goal' -l 'metric-goal' -d 'Whether a lower or a higher --metric is better.' -rfka 'lower higher'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" metric-runs' -l 'metric-runs' -d 'Times --metric runs on the baseline and on the change each (interleaved).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" metric-timeout' -l 'metric-timeout' -d 'Seconds one --metric run may take (default 600).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" sandbox' -l 'sandbox' -d 'policy (screened commands, confined paths) or os (the agent\'s Bash under bubblewrap, the tests bound read-only). Default: os where bubblewrap can run, else policy.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" max-fix-attempts' -l 'max-fix-attempts' -d 'Times the gate\'s failure goes back to the agent.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" max-turns' -l 'max-turns' -d 'Stop the agent after this many model turns (per attempt).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" max-budget-usd' -l 'max-budget-usd' -d 'Stop once the run has cost this much (USD).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" keep' -l 'keep' -d 'What to do with a green change: keep the branch (default), fast-forward your branch, or delete it.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" merge' -l 'merge' -d 'What to do with a green change: keep the branch (default), fast-forward your branch, or delete it.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" discard' -l 'discard' -d 'What to do with a green change: keep the branch (default), fast-forward your branch, or delete it.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" dry-run' -l 'dry-run' -d 'Say what would happen (repository, baseline, branch, test command); change nothing.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" wait' -l 'wait' -d 'Wait for another improve on this repository instead of failing with exit 12.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" force' -l 'force' -d 'Run even if the same goal already failed at this commit (refused with exit 11 otherwise).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" no-history' -l 'no-history' -d 'No ledger digest for the agent (earlier attempts at this goal are still told).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" history-budget' -l 'history-budget' -d 'Token budget of the ledger digest (default 1500; 4 characters a token).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" json' -l 'json' -d 'Print the outcome as one JSON object.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" C workspace' -s 'C' -l 'workspace' -d 'The repository (any directory inside it; default: here).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis improve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis rollback" -eq 1' -fka '(__arrakis_custom_completion ---completion rollback -- positional@0 (count (__arrakis_tokens -pc)) (__arrakis_tokens -tC))'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis rollback" last' -l 'last' -d 'Roll back the newest recorded change.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis rollback" prune' -l 'prune' -d 'Delete kept, unmerged improve branches older than --older-than, and stale worktrees.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis rollback" older-than' -l 'older-than' -d 'With --prune: the age (by the recorded change) beyond which kept branches go.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis rollback" dry-run' -l 'dry-run' -d 'Say what would be done; change nothing.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis rollback" json' -l 'json' -d 'Print the outcome as one JSON object.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis rollback" C workspace' -s 'C' -l 'workspace' -d 'The repository (any directory inside it; default: here).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis rollback" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis rollback" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis rollback" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis log" -eq 1' -fa 'list' -d 'List recent sessions, newest first (the default).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis log" -eq 1' -fa 'show' -d 'Print a whole session: transcript, tool operations, modifications.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis log" -eq 1' -fa 'stats' -d 'Runs, success, latency, tokens and cost per subcommand; tool failure rates; self-modification outcomes.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis log" -eq 1' -fa 'insights' -d 'Patterns across sessions: files changed and undone most, failing tools, improvements that keep failing, cost per kept change.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis log" -eq 1' -fa 'backup' -d 'Write a consistent copy of the ledger to FILE, also while other runs write to it.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis log" -eq 1' -fa 'prune' -d 'Drop transcript bodies of old sessions; sessions, tokens, costs and durations are kept.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis log" -eq 1' -fa 'recost' -d 'Price recorded sessions again with the current price table and your configured prices.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis log" -eq 1' -fa 'copy' -d 'Copy every record of one ledger into another; a second copy adds nothing.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis log" -eq 1' -fa 'path' -d 'Print the ledger\'s path.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" limit n' -s 'n' -l 'limit' -d 'How many sessions.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" system' -l 'system' -d 'Only this subcommand: ask, code, analyze, improve, rollback.' -rfka 'ask code analyze improve rollback log'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" since' -l 'since' -d 'Only sessions since: 90.days, 12h, 2026-11-01.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" workspace' -l 'workspace' -d 'Only sessions in this workspace (a path; . for here).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" status' -l 'status' -d 'Only sessions with this status: running, success, failed, interrupted.' -rfka 'running success failed interrupted'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" q' -s 'q' -d 'Only sessions whose messages contain these words (full-text).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" json' -l 'json' -d 'Print a JSON array.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" jsonl' -l 'jsonl' -d 'Print one JSON object per line.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis log show" -eq 1' -fka '(__arrakis_custom_completion ---completion log show -- positional@0 (count (__arrakis_tokens -pc)) (__arrakis_tokens -tC))'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log show" json' -l 'json' -d 'Print one JSON object.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log show" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log show" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log stats" since' -l 'since' -d 'Window start: 30.days (default), 12h, 2026-11-01.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log stats" json' -l 'json' -d 'Print one JSON object.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log stats" html' -l 'html' -d 'Also write a self-contained HTML page with charts to this file.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log stats" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log stats" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log stats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log insights" limit n' -s 'n' -l 'limit' -d 'Rows per list.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log insights" json' -l 'json' -d 'Print one JSON object.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log insights" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log insights" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log insights" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log backup" force' -l 'force' -d 'Overwrite FILE if it exists.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log backup" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log backup" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log backup" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log prune" older-than' -l 'older-than' -d 'Prune sessions older than this: 30.days, 12w, 2026-01-01.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log prune" dry-run' -l 'dry-run' -d 'Only count what would be pruned.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log prune" json' -l 'json' -d 'Print one JSON object.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log prune" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log prune" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log prune" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log recost" since' -l 'since' -d 'Only sessions since: 90.days, 12h, 2026-11-01 (default: all).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log recost" json' -l 'json' -d 'Print one JSON object.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log recost" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log recost" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log recost" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log copy" from' -l 'from' -d 'The ledger to copy from, a path or postgresql:// URL (default: the current ledger).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log copy" to' -l 'to' -d 'The ledger to copy into, created if needed (default: the current ledger).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log copy" batch' -l 'batch' -d 'Sessions per transaction.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log copy" json' -l 'json' -d 'Print one JSON object.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log copy" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log copy" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log copy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log path" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log path" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis log path" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis config" -eq 1' -fa 'show' -d 'Print each setting, its value and its source (the default subcommand).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_positional "arrakis config" -eq 1' -fa 'path' -d 'Print the user\'s and this repository\'s configuration file paths.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" m model' -l 'model' -s 'm' -d 'Model: opus, sonnet, haiku, fable or a full id (default: $ARRAKIS_MODEL, else sonnet; see arrakis models).' -rfka 'opus sonnet haiku fable'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" max-tokens' -l 'max-tokens' -d 'Maximum tokens in each reply (default: max_tokens in the config files, else 4096).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" max-retries' -l 'max-retries' -d 'Retries on rate limits, overloads and connection errors.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" permission' -l 'permission' -d 'read-only, safe-write, full-access or self-modify.' -rfka 'read-only safe-write full-access self-modify'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show"' -l 'allow' -d 'Pre-approve a tool or tool pattern (repeatable).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show"' -l 'deny' -d 'Deny a tool or tool pattern (repeatable); deny wins, and adds to the config files\' deny.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" sandbox' -l 'sandbox' -d 'os (Bash under bubblewrap) or policy (screened commands, confined paths). Default: os where bubblewrap can run, else policy with a notice.' -rfka 'os policy'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" allow-network' -l 'allow-network' -d 'With --sandbox os: let Bash reach the network (default: no).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" no-allow-network' -l 'no-allow-network' -d 'With --sandbox os: let Bash reach the network (default: no).'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" max-turns' -l 'max-turns' -d 'Stop after this many model turns (default: 50).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" max-budget-usd' -l 'max-budget-usd' -d 'Stop once the session has cost this much (USD).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" test-command' -l 'test-command' -d 'The project\'s test command, when detection guesses wrong.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show"' -l 'pass-env' -d 'Pass this environment variable to Bash and the test command (repeatable); adds to pass_env. Default: only PATH, HOME, USER, LANG, LC_*, TERM, TMPDIR, SHELL.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" mcp-config' -l 'mcp-config' -d 'MCP servers whose tools the model may use, in Claude Code\'s format: {"mcpServers": {"NAME": {"command": …, "args": […], "env": {…}}}}.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" C workspace' -s 'C' -l 'workspace' -d 'Show the configuration for this directory.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" json' -l 'json' -d 'Print one JSON object: {key: {value, source, origin}} plus the two file paths.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config path" C workspace' -s 'C' -l 'workspace' -d 'The repository file for this directory.' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config path" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis config path" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis doctor" json' -l 'json' -d 'Print one JSON object: {ok, checks: [{name, status, detail, required}]}.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis doctor" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis doctor" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis doctor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis models" json' -l 'json' -d 'Print one JSON object.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis models" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis models" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis mcp" db' -l 'db' -d 'The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).' -rfka ''
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis mcp" version' -l 'version' -d 'Show the version.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis mcp" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arrakis' -n '__arrakis_should_offer_completions_for_flags_or_options "arrakis help" version' -l 'version' -d 'Show the version.'
