fn main() {
    std::process::exit(cargo_migrate::main_with_args(std::env::args_os()));
}
